"""The word stock of the synthetic knowledge: invented jargon, model-name parts and chat filler.

There is no word list on the benchmark machine and no network, so the few thousand proper nouns
and jargon words (model families, labs, benchmarks, plans) are invented from syllables with a
seeded generator; the ordinary words questions are made of are written out here and in
`benchmarks.attributes`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable

ONSETS = (
    "b bl br c ch cl cr d dr f fl fr g gl gr h j k kl kr l m n p pl pr qu r s sh sk sl sn st "
    "t th tr v w y z"
).split()
VOWELS = "a e i o u a e i o u a e i o ai ea ee io ou".split()
INNER_CODAS = ["", "", "", "", "", "", "n", "r", "l", "s"]
FINAL_CODAS = ["", "", "", *"l m n r s x nd nt rk st th v".split()]

VARIANTS = {
    "Pro": "专业版",
    "Max": "旗舰版",
    "Mini": "迷你版",
    "Lite": "轻量版",
    "Turbo": "极速版",
    "Flash": "闪电版",
    "Ultra": "超大杯",
    "Nano": "纳米版",
    "Plus": "增强版",
    "Air": "轻薄版",
    "Coder": "编程版",
    "Vision": "视觉版",
}
"""Model variant suffixes, with the Chinese product-name equivalent aliases use."""

CJK_CHARS = (
    "星云天智灵光龙海通义文心言月深度求索清华盘古混元豆包讯飞火山百川零万物阶跃紫东太初明镜"
    "玄武朱雀青鸾麒麟凤鸣悟空启航远望曙晨曦极光银河北斗昆仑峨眉洞庭长江黄河泰岳神舟问道知行"
)
"""Characters Chinese model brands are typically made of."""

CHAT_OPENERS = (
    "quick question:",
    "hey,",
    "anyone know",
    "btw",
    "remind me,",
    "i forgot,",
    "ok so",
    "hmm,",
    "sorry if asked before,",
    "random question but",
    "does anybody remember",
)
CHAT_CLOSERS = (
    "right now",
    "currently",
    "exactly",
    "roughly",
    "again",
    "these days",
    "officially",
    "today",
    "thx",
    "in the end",
)
"""Chat filler people wrap questions in; some curators copy it into `also` phrasings."""

UNRELATED_TEMPLATES = (
    "what's a good recipe for {food}",
    "boiling {food} for how many minutes",
    "can dogs eat {food}",
    "how many calories are in {food}",
    "who won the {sport} final last night",
    "when does the {sport} season begin",
    "is it going to rain in {city} tomorrow",
    "cheap flights to {city} in spring",
    "how do i fix a squeaky {thing}",
    "where can i buy a cheap {thing}",
    "when does the {shop} close on sunday",
    "best way to learn {hobby} as an adult",
    "recommend a good {genre} novel",
    "how do i get to the {landmark} by bus",
)
UNRELATED_SLOTS = {
    "food": "pancakes lasagna broccoli spaghetti avocado mushrooms cheesecake salmon chickpeas "
    "dumplings pumpkin oatmeal lentils cauliflower",
    "sport": "football cricket hockey tennis rugby basketball baseball volleyball snooker golf",
    "city": "Lisbon Nairobi Toronto Manila Glasgow Perth Denver Seville Krakow Osaka",
    "thing": "door bicycle fridge chair staircase wardrobe trampoline skateboard",
    "shop": "bakery pharmacy library supermarket butcher florist",
    "hobby": "knitting guitar chess pottery gardening swimming juggling",
    "genre": "mystery romance fantasy horror western",
    "landmark": "cathedral lighthouse aquarium zoo harbour castle",
}
"""Everyday questions from outside the knowledge's domain; none of these words is curated."""

_WORD = re.compile(r"[a-z]+")


def english_words(texts: Iterable[str]) -> set[str]:
    """The lower-case letter runs of some texts, to keep invented words clear of real ones."""
    return {word for text in texts for word in _WORD.findall(text.lower())}


def invent_words(rng: random.Random, count: int, avoid: set[str]) -> list[str]:
    """Distinct pronounceable words of two or three syllables, none of them in `avoid`."""
    found: dict[str, None] = {}
    while len(found) < count:
        syllables = 2 if rng.random() < 0.7 else 3
        codas = [*(rng.choice(INNER_CODAS) for _ in range(syllables - 1)), rng.choice(FINAL_CODAS)]
        word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + coda for coda in codas)
        if 4 <= len(word) <= 9 and word not in avoid:
            found[word] = None
    return list(found)


def invent_cjk(rng: random.Random, taken: set[str]) -> str:
    """A two-character Chinese brand name nobody else uses."""
    while True:
        name = "".join(rng.sample(CJK_CHARS, 2))
        if name not in taken:
            taken.add(name)
            return name
