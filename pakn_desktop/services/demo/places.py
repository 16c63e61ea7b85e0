"""Where demo reports come from (real communes, a few busy provinces) and who handles them."""

from __future__ import annotations

import random
from bisect import bisect

from sqlalchemy import Connection, select

from pakn_desktop.data.models import Commune, Province, Unit

from .clock import uuid7
from .people import PROVINCE_AREA, People
from .rows import Place, Row
from .vocabulary import lower_first
from .weights import FOCUS_PROVINCES, HOT_COMMUNES, PROVINCE_UNITS, ROUTING, cumulative


class Places:
    """The communes of the reference data, weighted towards a few focus provinces."""

    def __init__(self, conn: Connection, rng: random.Random) -> None:
        self.r = rng.random
        rows = conn.execute(
            select(Province.code, Province.name, Province.folded, Province.division_type)
        ).all()
        provinces = {code: (name, folded) for code, name, folded, _kind in rows}
        # "UBND thành phố Hà Nội", "Sở Y tế tỉnh Khánh Hòa"; mail at hanoi.gov.vn, khanhhoa…
        self.province_info: dict[str, tuple[str, str]] = {}
        for code, name, folded, _division_type in rows:
            owner = lower_first(name)  # the map's names carry their division: "Tỉnh Cao Bằng"
            short = folded.removeprefix("thanh pho ").removeprefix("tinh ")
            domain = "".join(c for c in short if c.isalnum()) + ".gov.vn"
            self.province_info[code] = (owner, domain)
        by_province: dict[str, list[Place]] = {}
        communes = conn.execute(
            select(Commune.code, Commune.province_code, Commune.name, Commune.folded).order_by(
                Commune.code
            )
        )
        for code, province, name, folded in communes:
            pname, pfolded = provinces[province]
            place = Place(code, province, name, folded, pname, pfolded)
            by_province.setdefault(province, []).append(place)
        if not by_province:
            raise RuntimeError("reference data missing: run reference.ensure first")
        self.all_places = [p for code in sorted(by_province) for p in by_province[code]]
        focus = [(c, w) for c, w in FOCUS_PROVINCES if c in by_province]
        self.focus_cum = cumulative([w for _c, w in focus] + [1 - sum(w for _c, w in focus)])
        self.focus: list[tuple[list[Place], list[Place]]] = []
        for code, _w in focus:
            places = list(by_province[code])
            hot = rng.sample(places, min(HOT_COMMUNES, len(places)))
            self.focus.append((hot, places))

    def pick(self) -> Place:
        r = self.r
        i = bisect(self.focus_cum, r())
        if i >= len(self.focus):
            return self.all_places[int(r() * len(self.all_places))]
        hot, places = self.focus[i]
        pool = hot if r() < 0.7 else places
        return pool[int(r() * len(pool))]


class Units:
    """Handling units, made on first use: the province's committee, departments and police,
    and each commune's People's Committee. Codes start with ``prefix`` so that runs on
    different stations never collide."""

    def __init__(
        self,
        conn: Connection,
        rng: random.Random,
        people: People,
        places: Places,
        prefix: str,
        created_us: int,
    ) -> None:
        self.rng = rng
        self.r = rng.random
        self.people = people
        self.province_info = places.province_info
        self.prefix = prefix
        self.created_us = created_us
        self.ids: dict[str, str] = {
            code: str(uid)
            for code, uid in conn.execute(
                select(Unit.code, Unit.id).where(Unit.code.like(f"{prefix}-%"))
            )
        }

    def _add(self, rows: list[Row], row: Row) -> str:
        name, _folded = self.people.name(False)
        area = PROVINCE_AREA.get(row["province_code"])  # else a mobile: no wrong area code
        landline = self.r() < 0.5 and area is not None
        national = self.people.national_number(landline, area)
        row["contact_name"] = name
        row["contact_phone"] = (
            self.people.format_phone(national, landline) if landline else national
        )
        row["active"] = True
        self.ids[row["code"]] = row["id"]
        rows.append(row)
        return str(row["id"])

    def province_unit(self, rows: list[Row], province: str, kind: str) -> str:
        code = f"{self.prefix}-{kind.upper()}-{province}"
        uid = self.ids.get(code)
        if uid is not None:
            return uid
        parent = None if kind == "ubnd_tinh" else self.province_unit(rows, province, "ubnd_tinh")
        label, mailbox = PROVINCE_UNITS[kind]
        owner, domain = self.province_info[province]
        row = {
            "id": uuid7(self.rng, self.created_us),
            "code": code,
            "name": f"{label} {owner}",
            "parent_id": parent,
            "kind": "ubnd_tinh" if kind == "ubnd_tinh" else "so" if kind[0] == "s" else kind,
            "province_code": province,
            "commune_code": None,
            "contact_email": f"{mailbox}@{domain}",
        }
        return self._add(rows, row)

    def commune_unit(self, rows: list[Row], place: Place) -> str:
        code = f"{self.prefix}-UBNDX-{place.code}"
        uid = self.ids.get(code)
        if uid is not None:
            return uid
        parent = self.province_unit(rows, place.province_code, "ubnd_tinh")
        mailbox = "ubnd." + "".join(c for c in place.folded if c.isalnum())
        row = {
            "id": uuid7(self.rng, self.created_us),
            "code": code,
            "name": f"UBND {lower_first(place.name)}",
            "parent_id": parent,
            "kind": "ubnd_xa",
            "province_code": place.province_code,
            "commune_code": place.code,
            "contact_email": f"{mailbox}@{self.province_info[place.province_code][1]}",
        }
        return self._add(rows, row)

    def handling(self, rows: list[Row], category: str, kind: str, place: Place) -> str:
        """The lead unit of a report, by its category (complaints mostly to the inspectorate)."""
        r = self.r()
        if kind in ("khieu_nai", "to_cao"):
            routed = "thanh_tra" if r < 0.7 else None
        else:
            routed = None
            for limit, unit_kind in ROUTING.get(category, ()):
                if r < limit:
                    routed = unit_kind
                    break
        if routed is None:
            return self.commune_unit(rows, place)
        return self.province_unit(rows, place.province_code, routed)
