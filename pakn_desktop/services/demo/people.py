"""Demo people: Vietnamese names, phone numbers in the shapes callers give them, addresses."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from pakn_desktop.data.demo_rows import Place, Row

from . import vocabulary
from .clock import iso, uuid7
from .vocabulary import folded
from .weights import Choice

MOBILE_PREFIXES = (
    "086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039", "088",
    "091", "094", "081", "082", "083", "084", "085", "090", "093", "070", "076", "077",
    "078", "079", "092", "056", "058", "059", "0896", "0897", "0898", "0899", "0993", "0996",
    "0997", "0998",
)  # fmt: skip
# Landline area codes of the focus provinces (Hà Nội, TP.HCM, Khánh Hòa) and a few others.
PROVINCE_AREA = {"01": "024", "79": "028", "56": "0258", "48": "0236", "31": "0225"}
AREA_CODES = ("024", "028", "0258", "0236", "0225", "0292", "0251")
MAX_FREQUENT = 5000  # repeat callers remembered per run

PhoneFormat = Callable[[str], str]


def _landline_parts(n: str) -> tuple[str, str, str]:
    area = n[:3] if n[:3] in ("024", "028") else n[:4]
    sub = n[len(area) :]
    return area, sub[: len(sub) // 2], sub[len(sub) // 2 :]


def _fmt_landline(pattern: str) -> PhoneFormat:
    def apply(n: str) -> str:
        area, a, b = _landline_parts(n)
        return pattern.format(area=area, a=a, b=b, tail=area[1:])

    return apply


# (cumulative thresholds, then one format per band): how people give their numbers.
MOBILE_FORMATS: tuple[Any, ...] = (
    (0.30, 0.50, 0.62, 0.68, 0.74, 0.83, 0.90, 0.96),
    lambda n: n,  # 0912345678
    lambda n: f"{n[:4]} {n[4:7]} {n[7:]}",  # 0912 345 678
    lambda n: f"{n[:4]}.{n[4:7]}.{n[7:]}",  # 0912.345.678
    lambda n: f"{n[:4]}-{n[4:7]}-{n[7:]}",  # 0912-345-678
    lambda n: f"{n[:3]} {n[3:6]} {n[6:]}",  # 091 234 5678
    lambda n: f"+84 {n[1:4]} {n[4:7]} {n[7:]}",  # +84 912 345 678
    lambda n: f"+84{n[1:]}",  # +84912345678
    lambda n: f"84{n[1:]}",  # 84912345678
    lambda n: f"(+84) {n[1:]}",  # (+84) 912345678
)
LANDLINE_FORMATS: tuple[Any, ...] = (
    (0.35, 0.60, 0.80, 0.90),
    _fmt_landline("({area}) {a} {b}"),  # (028) 3822 1234
    _fmt_landline("{area} {a} {b}"),  # 028 3822 1234
    lambda n: n,  # 02838221234
    _fmt_landline("{area}.{a}{b}"),  # 028.38221234
    _fmt_landline("+84 {tail} {a} {b}"),  # +84 28 3822 1234
)


@dataclass
class Caller:
    """A repeat caller: the same person reporting again, maybe giving the number differently."""

    id: str
    name: str
    name_folded: str
    national: str | None  # 0xxxxxxxxx, the number behind every format it is given in
    landline: bool
    phone_raw: str | None  # as given when this reporter's row was made


class Reporter(NamedTuple):
    """What a report needs of its reporter: the row's id and what goes into search_text."""

    id: str | None
    phone_raw: str | None
    phone: str | None  # E.164
    name_folded: str


ANONYMOUS = Reporter(None, None, None, "")


def e164(national: str | None) -> str | None:
    """``+84…`` of a national number the generator drew (``domain.phone.normalise_phone`` of
    any shape it is given in gives the same; computed here, as phonenumbers per row is slow)."""
    return None if national is None else "+84" + national[1:]


class People:
    """Names, numbers and reporter rows, all drawn from the run's one random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.r = rng.random
        words = vocabulary.names()
        self.ho = Choice.of(words.ho)
        self.dem_nam, self.dem_nu = words.dem_nam, words.dem_nu
        self.ten_nam, self.ten_nu = words.ten_nam, words.ten_nu
        self.streets = vocabulary.texts().streets
        self.frequent: list[Caller] = []

    def name(self, plain: bool) -> tuple[str, str]:
        """(full name, folded); ``plain``: a display name typed without diacritics."""
        r = self.r
        ho = self.ho.pick(r())
        if r() < 0.5:
            dem = self.dem_nam[int(r() * len(self.dem_nam))]
            ten = self.ten_nam[int(r() * len(self.ten_nam))]
        else:
            dem = self.dem_nu[int(r() * len(self.dem_nu))]
            if r() < 0.15:
                dem = f"Thị {self.dem_nu[1 + int(r() * (len(self.dem_nu) - 1))]}"
            ten = self.ten_nu[int(r() * len(self.ten_nu))]
        name = f"{ho} {dem} {ten}"
        name_folded = f"{folded(ho)} {folded(dem)} {folded(ten)}"
        if plain:
            return name_folded.title(), name_folded
        return name, name_folded

    def national_number(self, landline: bool, area: str | None = None) -> str:
        """Ten digits (eleven for a landline) in ranges that are allocated."""
        r = self.r
        if landline:
            area = area or AREA_CODES[int(r() * len(AREA_CODES))]
            width = 10 - len(area)  # the subscriber number never starts with 0 or 1
            return f"{area}{2 + int(r() * 7)}{int(r() * 10**width):0{width}d}"
        prefix = MOBILE_PREFIXES[int(r() * len(MOBILE_PREFIXES))]
        width = 10 - len(prefix)
        return f"{prefix}{int(r() * 10**width):0{width}d}"

    def format_phone(self, national: str, landline: bool) -> str:
        """The number the way this caller said or typed it."""
        formats = LANDLINE_FORMATS if landline else MOBILE_FORMATS
        band: PhoneFormat = formats[bisect(formats[0], self.r()) + 1]
        return band(national)

    def home_address(self, place: Place) -> str:
        r = self.r
        street = self.streets[int(r() * len(self.streets))]
        n = 1 + int(r() * 300)
        if r() < 0.4:
            return f"Số {n}/{1 + int(r() * 60)} đường {street}, {place.name}, {place.province_name}"
        return f"Số {n} đường {street}, {place.name}, {place.province_name}"

    def reporter(self, rows: list[Row], channel: str, place: Place, received: int) -> Reporter:
        """The reporter of a new report; a new reporter's row goes to ``rows``."""
        r = self.r
        if channel in ("letter", "chatbot", "fanpage") and r() < 0.08:
            return ANONYMOUS  # no name, no number
        repeat = self.frequent and r() < 0.2
        if repeat:
            # A few callers call a lot: bias the pick towards the start of the list.
            who = self.frequent[int(r() ** 2 * len(self.frequent))]
            if r() < 0.7:  # the same person's row
                return Reporter(who.id, who.phone_raw, e164(who.national), who.name_folded)
            plain = False
            name, name_folded = who.name, who.name_folded
            national, landline = who.national, who.landline
        else:
            plain = channel in ("fanpage", "zalo", "chatbot") and r() < 0.1
            name, name_folded = self.name(plain)
            landline = channel in ("hotline", "walk_in", "letter") and r() < 0.15
            no_phone = channel in ("fanpage", "chatbot", "email", "letter") and r() < 0.35
            national = None if no_phone else self.national_number(landline)
        phone_raw = None if national is None else self.format_phone(national, landline)
        phone = e164(national)
        rid = uuid7(self.rng, received)
        email = None
        if channel in ("email", "web") or r() < 0.05:
            local = name_folded.replace(" ", "")[-12:]
            email = f"{local}{int(r() * 100)}@{'gmail.com' if r() < 0.8 else 'yahoo.com'}"
        address = None
        if r() < 0.6 and not plain:
            address = self.home_address(place)
        rows.append(
            {
                "id": rid,
                "full_name": name,
                "phone": phone,
                "email": email,
                "address": address,
                "created_at": iso(received),
                "phone_raw": phone_raw,
            }
        )
        if not repeat and r() < 0.25 and len(self.frequent) < MAX_FREQUENT:
            self.frequent.append(Caller(rid, name, name_folded, national, landline, phone_raw))
        return Reporter(rid, phone_raw, phone, name_folded)
