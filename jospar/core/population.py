"""The resident population of each region on 1 January 2024 (Bureau of National Statistics of
the Agency for Strategic Planning and Reforms), used to weigh regions' figures: a national mean
of regional values, a national survey result from regional samples.

Almaty, Astana, Shymkent, Turkistan and Almaty Region are the Bureau's 1 January 2025 figures
less the growth of 2024 it published with them; the others are its 1 January 2024 figures. The
sum, 20,003,672, is within 0.2 % of the published national total (20,033,841): a weight needs
no more. South Kazakhstan ceased in 2018 and has none.
"""

from __future__ import annotations

import datetime as dt

POPULATION_ON = dt.date(2024, 1, 1)

POPULATION_2024: dict[str, int] = {
    "abai": 603_009,
    "akmola": 785_852,
    "aktobe": 932_929,
    "almaty-oblast": 1_531_167,
    "atyrau": 700_965,
    "west-kazakhstan": 692_097,
    "zhambyl": 1_221_002,
    "zhetisu": 697_669,
    "karaganda": 1_131_787,
    "kostanay": 829_155,
    "kyzylorda": 842_910,
    "mangystau": 776_826,
    "pavlodar": 751_235,
    "north-kazakhstan": 535_722,
    "turkistan": 2_142_171,
    "ulytau": 221_411,
    "east-kazakhstan": 726_919,
    "astana": 1_430_105,
    "almaty": 2_228_675,
    "shymkent": 1_222_066,
}
