"""The words of one demo report: summary, content and address, with their folded forms."""

from __future__ import annotations

import random
from bisect import bisect
from typing import NamedTuple

from pakn_desktop.data.demo_rows import Place

from . import vocabulary
from .vocabulary import folded, lower_first
from .weights import ADDRESS_CUM

# Channels where people sometimes type without diacritics, and how often.
PLAIN_CHANNELS = ("fanpage", "zalo", "chatbot", "app")
PLAIN_SHARE = 0.04


class ReportText(NamedTuple):
    summary: str
    content: str
    address: str
    summary_folded: str
    content_folded: str
    address_folded: str


class TextMaker:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng.random
        self.words = vocabulary.texts()

    def make(
        self, channel: str, category: str, kind: str, place: Place, confidential: bool
    ) -> ReportText:
        """Texts built from pieces, each folded once (``folded`` caches): the folded forms
        are what fold() of the whole would give, at a fraction of the cost."""
        r, w = self.r, self.words
        summaries, details = w.categories[category]
        street = w.streets[int(r() * len(w.streets))]
        where = w.places[int(r() * len(w.places))]
        n = str(1 + int(r() * 400))
        base = summaries[int(r() * len(summaries))]
        slots = {"street": street, "place": where, "n": n}
        fslots = {"street": folded(street), "place": folded(where), "n": n}
        core = base.format(**slots)
        fcore = folded(base).format(**fslots)
        s_tpls, lead_tpls = w.kinds[kind]
        s_tpl = s_tpls[int(r() * len(s_tpls))]
        summary = s_tpl.format(S=core, s=lower_first(core))
        fsummary = folded(s_tpl).format(S=fcore, s=fcore)
        lead = lead_tpls[int(r() * len(lead_tpls))]

        head = w.address_heads[bisect(ADDRESS_CUM, r())]
        address = f"{head.format(**slots)}, {place.name}, {place.province_name}"
        faddress = f"{folded(head).format(**fslots)}, {place.folded}, {place.province_folded}"

        openings = w.openings[channel]
        opening = openings[int(r() * len(openings))]
        detail = details[int(r() * len(details))]
        parts = [opening, lead.format(s=lower_first(core)), detail]
        fparts = [folded(opening), folded(lead).format(s=fcore), folded(detail)]
        if r() < 0.4:
            extra = details[int(r() * len(details))]
            if extra != detail:
                parts.append(extra)
                fparts.append(folded(extra))
        when = w.when[int(r() * len(w.when))]
        hour = str(5 + int(r() * 6))
        parts.append(when.format(h=hour))
        fparts.append(folded(when).format(h=hour))
        parts.append(f"Địa điểm: {address}.")
        fparts.append(f"dia diem: {faddress}.")
        closing = w.closings[int(r() * len(w.closings))]
        parts.append(closing)
        fparts.append(folded(closing))
        if confidential:
            parts.append(w.confidential)
            fparts.append(folded(w.confidential))
        content = f"{parts[0]}\n" + " ".join(parts[1:])
        fcontent = " ".join(fparts)
        if channel in PLAIN_CHANNELS and r() < PLAIN_SHARE:
            # Typed on a phone without diacritics, as plenty of people do.
            summary, content = fsummary, fcontent
        return ReportText(summary, content, address, fsummary, fcontent, faddress)
