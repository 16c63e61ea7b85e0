"""Where demo reports come from (real communes, a few busy provinces) and who handles them."""

from __future__ import annotations

import random
import uuid
from bisect import bisect

from sqlalchemy import Connection

from pakn_desktop.data import demo_reads
from pakn_desktop.data.demo_rows import Place, Row
from pakn_desktop.data.units import first_contact_id

from .clock import iso, uuid7
from .people import PROVINCE_AREA, People
from .vocabulary import lower_first
from .weights import FOCUS_PROVINCES, HOT_COMMUNES, PROVINCE_UNITS, ROUTING, cumulative


class Places:
    """The communes of the reference data, weighted towards a few focus provinces."""

    def __init__(self, conn: Connection, rng: random.Random) -> None:
        self.r = rng.random
        rows = demo_reads.provinces(conn)
        provinces = {code: (name, folded) for code, name, folded, _kind in rows}
        # "UBND thành phố Hà Nội", "Sở Y tế tỉnh Khánh Hòa"; mail at hanoi.example, khanhhoa…:
        # the .example top-level domain is reserved (RFC 2606), so no demo mail reaches a
        # real office, and nobody mistakes a demo unit for a real *.gov.vn one.
        self.province_info: dict[str, tuple[str, str]] = {}
        for code, name, folded, _division_type in rows:
            owner = lower_first(name)  # the map's names carry their division: "Tỉnh Cao Bằng"
            short = folded.removeprefix("thanh pho ").removeprefix("tinh ")
            domain = "".join(c for c in short if c.isalnum()) + ".example"
            self.province_info[code] = (owner, domain)
        by_province: dict[str, list[Place]] = {}
        for code, province, name, folded in demo_reads.communes(conn):
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


# Ofcom's numbers for TV and radio drama, London 020 7946 0000–0999: documented as never
# assigned to anyone, and valid to libphonenumber (so an administrator can still edit a demo
# contact). Vietnam documents no such range, and a real-looking 09x mobile could belong to a
# real person: a demo forward must text nobody.
DEMO_PHONE_PREFIX = "+442079460"


def demo_unit_phone(drawn: str) -> str:
    """A number of the fictitious range, from the last digits of a number the run drew."""
    return f"{DEMO_PHONE_PREFIX}{drawn[-3:]}"


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
        self._contacts: list[Row] = []
        self.ids: dict[str, str] = demo_reads.unit_ids(conn, prefix)

    def take_contacts(self) -> list[Row]:
        """The contact rows of the units made since the last call (they go in with them)."""
        taken, self._contacts = self._contacts, []
        return taken

    def _add(self, rows: list[Row], row: Row, email: str) -> str:
        name, _folded = self.people.name(False)
        # The draws of the real-looking number a contact had before: kept, so that a seed
        # still gives the same reports; only its last digits are used, in the fictitious range.
        area = PROVINCE_AREA.get(row["province_code"])
        landline = self.r() < 0.5 and area is not None
        national = self.people.national_number(landline, area)
        if landline:
            self.people.format_phone(national, landline)
        row["contact_name"] = row["contact_phone"] = row["contact_email"] = None
        row["active"] = True
        self.ids[row["code"]] = row["id"]
        rows.append(row)
        self._contacts.append(
            {
                "id": str(first_contact_id(uuid.UUID(row["id"]))),
                "unit_id": row["id"],
                "name": name,
                "role": "Chánh văn phòng",
                "phone": demo_unit_phone(national),
                "email": email,
                "receives_sms": True,
                "receives_email": True,
                "created_at": iso(self.created_us),
            }
        )
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
        }
        return self._add(rows, row, f"{mailbox}@{domain}")

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
        }
        return self._add(rows, row, f"{mailbox}@{self.province_info[place.province_code][1]}")

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
