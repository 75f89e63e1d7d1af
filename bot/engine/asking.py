"""How a question is put, beyond its words: picking one of several, asking about whoever it is
put to, of a year or a version, which named thing, or a place in a list."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.engine.kinds import asked_kinds
from bot.engine.text import clean, terms

_ORDINAL_WORDS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
_ORDINAL_WORD = "|".join(_ORDINAL_WORDS)
_ORDINAL = re.compile(
    r"(?<![\w#])(?:#\s?\d{1,2}|no\.\s?\d{1,2}|\d{1,2}(?:st|nd|rd|th)"
    rf"|{_ORDINAL_WORD}|last)(?!\w)"
    r"|第[一二三四五六七八九十\d]+个"
)
"""A place in a sequence: "3rd", "#4", "second", "last", "第三个"."""
_LIST_PLACE = re.compile(
    r"(?<!\w)(?:list|listed|lineup|line-up|rundown|order|slot)(?!\w)|列表|名单|清单|顺序|依次"
)
"""Words that put a place in a list rather than a ranking ("3rd on the list", "名单里第三个");
"第一个" alone is as often "the first ever"."""


def place_in_a_list(text: str) -> str | None:
    """A question asking which item of a list is at a place ("3rd model on the list?"), with
    the place cut out, since no fact says "3rd"; None for any other question ("ranked 3rd").
    Asked of every question, so plain ASCII is only lower-cased, as `asked_kinds` does."""
    lowered = text.lower() if text.isascii() else clean(text)
    if _LIST_PLACE.search(lowered) is None or _ORDINAL.search(lowered) is None:
        return None
    return _ORDINAL.sub(" ", lowered)


_PLACE_NUMBERS = {
    **{word: place for place, word in enumerate(_ORDINAL_WORDS, 1)},
    **{word: place for place, word in enumerate(("one", "two", "three"), 1)},
    **{word: place for place, word in enumerate("一二三四五六七八九十", 1)},
    "top": 1,
    "runner": 2,
}
"""Places written in words, as numbers: "second", "number two", "第二"; an answer's "top" spot;
the runner-up's."""
_RANKED_PLACE = re.compile(
    r"(?<![\w#])(?:#\s?(\d{1,2})|no\.\s?(\d{1,2})|number (one|two|three)"
    r"|(?:ranked|ranks|ranking|placed|place|spot|came|comes|finished|finishes)\s+"
    rf"({_ORDINAL_WORD}|\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?:({_ORDINAL_WORD})|(\d{{1,2}})(?:st|nd|rd|th))[\s-]+(?:place|spot|best|highest)"
    r"|(runner)(?=[\s-]+up)"
    r")(?!\w)|第\s*([一二三四五六七八九十]|\d{1,2})\s*名|排(?:名)?\s*第\s*([一二三四五六七八九十]|\d{1,2})"
)
"""A place in a ranking a question asks about: "#2", "No. 1", "ranked 3rd", "came second",
"second place", "3rd-best", "the runner-up", "第二名", "排第二". An ordinal word alone is as often a
half, a trend or a generation ("the second half", "the fourth trend", "fourth-generation"),
and is not read as one."""
_GIVEN_PLACE = re.compile(
    r"(?<![\w#])(?:#\s?(\d{1,2})|no\.\s?(\d{1,2})|(\d{1,2})(?:st|nd|rd|th)"
    rf"|({_ORDINAL_WORD}|top(?!\s*(?:\d|ten|five|three|twenty|fifteen|hundred))))(?!\w)"
    r"|第\s*([一二三四五六七八九十]|\d{1,2})"
)
"""Any place an answer gives, read generously ("first in the world", "3rd", "第一"; "top" but
not "top ten"): a question is only held to a place the answer never gives at all."""


def asked_places(text: str) -> frozenset[int]:
    """The places in a ranking a question asks about ("who's #2 on SWE-Bench Pro?"), as
    numbers; none for a place in a list, which `place_in_a_list` reads instead."""
    if place_in_a_list(text) is not None:
        return frozenset()
    return _places(_RANKED_PLACE, clean(text))


def places_given(answers: Iterable[str]) -> frozenset[int]:
    """Every place in a ranking these answers give, however written."""
    return frozenset().union(*(_places(_GIVEN_PLACE, clean(answer)) for answer in answers))


def _places(pattern: re.Pattern[str], text: str) -> frozenset[int]:
    """The places a pattern finds in cleaned text, as numbers, its one group that matched each."""
    return frozenset(
        int(written) if written.isdigit() else _PLACE_NUMBERS[written]
        for found in pattern.finditer(text)
        for written in found.groups()
        if written
    )


_CHAT_FRAME = re.compile(
    r"^\W*(?:hey|hi|hello|yo|oi)\s+(?:bot|footnote|guys|all|everyone|folks)\b"
    r"|\b(?:quick|random|dumb|stupid|silly|noob|newbie)\s+(?:q|qn|question)\b"
    r"|\bsorry\s+if\s+(?:this\s+is\s+|it'?s\s+)?(?:a\s+)?(?:dumb|stupid|silly|obvious|noob)"
    r"(?:\s+(?:q|question))?(?:\s+but)?\b"
    r"|\basking\s+for\s+a\s+friend\b|\bjust\s+curious\b"
    r"|(?:\bi\s+(?:keep\s+forgetting|forgot|forget)|\b(?:i\s+)?(?:can'?t|don'?t)\s+remember)"
    r"(?:\s+(?:this|that|it))?\W*$"
    r"|\b(?:thx|ty|tysm|thanks|thank\s+you)\b\W*$"
    r"|(?<![\w@])@[\w.-]+|<@[!&]?\d+>",
    re.IGNORECASE,
)
"""How chat frames a question without adding to it: a greeting to the bot, "quick q", "sorry
if dumb but", "asking for a friend", "i keep forgetting", a closing "thx", and someone
addressed ("@bot", a Discord mention of another member)."""


_WHICH_ONE = re.compile(r"\b(which|what)\s+ones?\b(?!-)", re.IGNORECASE)
"""The "one" of "which one": it stands for whatever is picked and says nothing of what, yet as
a word of its own it weighs against every fact without it ("which one is listed 4th")."""


def without_chat_frames(text: str) -> str:
    """The question a chat message asks, its frames set aside (see `_CHAT_FRAME`), and the
    "one" of "which one" with them."""
    return _WHICH_ONE.sub(r"\1", _CHAT_FRAME.sub(" ", text))


_WHICH = re.compile(r"\b(?:which|who|whose)\b|(?<![,.;:?!])(?<![,.;:?!] )\bthe one\b|哪|谁")
"""Words that ask which one it is: 'which is cheaper, kimi or minimax?', 'is kimi or glm the one
with…'; not "the one" opening a clause or an aside, which says which thing is meant ("Claude's
score, the one Qwen beat", "what did claude score? the one qwen beat")."""
_SUPERLATIVE_PICK = re.compile(
    r"\b(?:best|worst|top|\w{3,}est)\s+(?:[\w-]+\s+){0,2}?(?:model|one|pick|choice|option)s?\b"
)
"""A superlative picking one: 'the best coding model', 'best pick from this list'."""


def asks_which(text: str) -> bool:
    """Whether a question asks which one it is by a question word."""
    return _WHICH.search(text.lower()) is not None


def asks_to_choose(text: str) -> bool:
    """Whether a question asks which of several things it is, rather than about each: by a
    question word or a superlative."""
    return asks_which(text) or _SUPERLATIVE_PICK.search(text.lower()) is not None


_QUESTION_THEN_MORE = re.compile(r"(.*[?？])\s*([^?？]*\w[^?？]*)", re.DOTALL)
"""A message that asks, then goes on without asking: "whose context is longest? i wanna dump a
whole repo in"."""


def question_before_chat(text: str) -> str | None:
    """The question a message asks before chat that follows it ("…? i lost track", "…? feels
    like somebody fell off hard"), or None when nothing follows or what follows asks too
    ("…? how many gpus", "…? which intl chips exactly")."""
    found = _QUESTION_THEN_MORE.fullmatch(text.strip())
    if found is None:
        return None
    question, more = found.groups()
    if len(terms(question)) < 2 or asked_kinds(more) or asks_to_choose(more):
        return None
    return question


_POLITE_FRAME = re.compile(
    r"\b(?:can|could|would|will|do|did|are|r)\s+(?:you|u|ya)\s+"
    r"(?:please\s+)?(?:tell|say|explain|show|give|list|name|identify|summari[sz]e|describe|share"
    r"|remind|confirm|clarify|check|recall|know|have|be able to)\b"
    r"|\b(?:you|u|ya)\s+know\b|\bthank(?:s| you)\b"
    r"|\bhow\s+(?:do|can|could|would|should|will|did)\s+(?:you|u)\b|\bif\s+(?:you|u)\b"
    r"|\b(?:you|u)\s+(?:can|could|need|have to|should|get|want)\b"
)
"""Asking the bot to answer ("can you tell me", "do you know", "thank you"), or "you" meaning
anyone ("how do you run it locally", "if you need a long context"): the question is still
about what follows, not about the one asked."""
_LISTENER = re.compile(r"\b(?:you|your|yours|yourself|you're|youre|you've|ur|u|ya|yall)\b")
"""The person spoken to: a question about them ("what would you do", "what's your rank")."""


_CJK_LISTENERS = r"你们|你們|你|您|大家|各位|有没有人|有沒有人|有人"
"""Whoever a Chinese message is put to: you, you all, everyone, anyone."""
_CJK_POLITE_FRAME = re.compile(
    rf"(?:{_CJK_LISTENERS}|谁|誰)(?:知道|清楚|了解|晓得|曉得|能|可以|会|會)"
    r"|请你|請你|告诉我|告訴我|跟我说|跟我說|给我|給我|问一下|問一下|问下|問下"
)
"""Asking for an answer in Chinese ("有人知道…吗", "你能告诉我…"): still about what follows."""
_CJK_LISTENER = re.compile(_CJK_LISTENERS)
"""The people spoken to in Chinese: "你们平时用开源的多吗" asks about them, not the article."""


def asks_about_the_listener(text: str) -> bool:
    """Whether a question is about whoever it is put to ("what were you studying?", "你们觉得
    靠谱吗") rather than about something the knowledge could hold, once polite frames are set
    aside."""
    if not text.isascii() and _CJK_LISTENER.search(_CJK_POLITE_FRAME.sub(" ", text)):
        return True
    lowered = text.lower().replace("’", "'")
    if "y" not in lowered and "u" not in lowered:
        return False
    return _LISTENER.search(_POLITE_FRAME.sub(" ", lowered)) is not None


_ASKER = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|my|me|mine|myself)\b|我的|我家|我这|我這|我想|我要|我在",
    re.IGNORECASE,
)
"""The one asking, speaking of themselves: "my psu", "do i need", "我的显卡"."""


def speaks_of_the_asker(text: str) -> bool:
    """Whether a message speaks of whoever sends it ("my comfyui workflow crashes", "can
    someone explain it for me"): chat about their own things, unless the knowledge is asked so."""
    return _ASKER.search(text.replace("’", "'")) is not None


_ASKED_YEAR = re.compile(
    r"(?<!\d)(?:19|20)\d\d(?!\d)|去年|前年|明年|后年"
    r"|\b(?:last|next|previous|prior)\s+year\b|\b(?:a|one|two|three|\d+)\s+years?\s+(?:ago|earlier)\b"
    r"|\bthe\s+year\s+before\b"
)
"""A year a question asks about, by its number or relative to now ("last year", "a year ago",
"去年"); unlike an answer's `kinds.YEAR`, it may run on into Chinese ("2024年")."""
_VERSION_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:version|generation|gen|iteration|release)\b|version number"
    r"|版本号|什么版本|哪个版本|哪一版|哪一代|第几代|哪代"
)
"""Words that ask which version of something it is, which only a code answers."""


def asked_years(text: str) -> tuple[str, ...]:
    """The years a question asks about ("back in 2024", "去年"), as written."""
    return tuple(_ASKED_YEAR.findall(clean(text)))


def asks_which_version(text: str) -> bool:
    """Whether a question asks which version or generation something is."""
    return _VERSION_ASKED.search(clean(text)) is not None


_MAKERS_AND_MODELS = (
    r"models?|labs?|compan(?:y|ies)|versions?|vendors?|providers?|firms?|startups?|variants?"
    r"|editions?|products?|brands?|flagships?|ones"
)
"""Kinds of thing a model's or a maker's name answers ("which model", "which lab")."""
_NAMED_BY_WHAT = r"gpus?|graphics cards?|runtimes?|frameworks?|librar(?:y|ies)"
"""Things with no kinds to tell apart but their names, so that "what" asks for a name too:
"what gpu do i need to run it" is not answered by "it runs on consumer hardware"."""
_OTHER_THINGS = (
    rf"{_NAMED_BY_WHAT}|chips?|accelerators?|benchmarks?|leaderboards?|platforms?|outlets?|cards?"
    r"|tools?|apps?|rules?|investors?|customers?|partners?"
)
"""Other kinds of thing known by name, which no model's or maker's name answers."""
_A_FEW_WORDS = r"((?:[\w.\-]+\s+){0,2}?)"
_WHAT_NAMED = rf"\bwhat\s+{_A_FEW_WORDS}(?:{_NAMED_BY_WHAT})\b"
"""'What' with a thing known only by its name ("what gpu"), as both patterns below read it."""
_WHAT_CALLED = (
    r"\bwhat(?:'s|s| is| was| are| were)?\s+(?:the\s+|that\s+|this\s+)?"
    r"(?:[\w.\-]+\s+){0,4}?called\b"
    r"|\bwhat(?:'s|s| is| was)\s+(?:the\s+)?name\s+of\b|叫什么|叫啥|什么名字|啥名字|什麼名字"
)
"""Asking what something is called: "what was the summit called", "那个系统叫什么"."""
_WHICH_NAMED_THING = re.compile(
    rf"\bwhich\s+{_A_FEW_WORDS}(?:{_MAKERS_AND_MODELS}|{_OTHER_THINGS})\b|{_WHAT_NAMED}"
    r"|哪家|哪款|哪[几一二三四五六七八九十\d]*[个些种款家](?:国际|国外|国产)?(?:模型|公司|厂商|芯片|版本)"
    rf"|{_WHAT_CALLED}",
    re.IGNORECASE,
)
"""'Which' of a kind of thing known by name ("which Claude model", "which intl chips", "哪家"),
or what something is called: only a name answers it, where "what chips" may ask what kind."""
_WHICH_OTHER_THING = re.compile(
    rf"\bwhich\s+{_A_FEW_WORDS}(?:{_OTHER_THINGS})\b|{_WHAT_NAMED}", re.IGNORECASE
)
OPTION_WORD = r"(?:\b(?:or|vs|versus)\b|还是|或)"
"""A word offering options: "glm-5 or glm-5.1?", "2M 还是 1M"."""
_OFFERS_OPTIONS = re.compile(OPTION_WORD)
"""A question that offers its own options ("glm-5 or glm-5.1?") is answered by one it names."""


def offers_options(text: str) -> bool:
    """Whether a question lays out its own options ("glm-5 or glm-5.1?", "rag vs context")."""
    return _OFFERS_OPTIONS.search(text.lower()) is not None


_OPTIONS_OFFERED = re.compile(rf"([\w.+-]+)\s*{OPTION_WORD}\s*([\w.+-]+)")


def options_offered(text: str) -> frozenset[str]:
    """The words on either side of a word offering options, lower-cased: "context window vs
    rag" offers "window" and "rag"."""
    return frozenset(
        word for found in _OPTIONS_OFFERED.finditer(text.lower()) for word in found.groups()
    )


def asks_which_by_name(text: str) -> bool:
    """Whether a question asks which named thing, without offering the options itself."""
    return _WHICH_NAMED_THING.search(text) is not None and not offers_options(text)


_THE_TOP = re.compile(
    r"\b(?:highest|top[ -]tier|most expensive|priciest|max(?:imum)?|above)\b|最高|最贵|顶配",
    re.IGNORECASE,
)
"""Asking for the top of a range: "the highest membership tier", "a plan above the 39 one"."""


def asks_for_the_top(text: str) -> bool:
    """Whether a question asks for the top of a range (a tier, a price, a limit)."""
    return _THE_TOP.search(text) is not None


_HOW_TO = re.compile(
    r"\b(?:how (?:do|can|should|would) (?:i|we)|how to|is there (?:a|any) way|any way to"
    r"|any workarounds?|workarounds? for|is there a workaround|any fix for"
    r"|how (?:do|are|would|should|r) (?:you guys|you all|y'?all|u guys|others|people|ppl|folks"
    r"|everyone|everybody))\b"
    r"|(?<!是)(?:怎[么麼样樣]|如何|咋|在哪[里儿]?|哪里)(?:才能|才可以|能|可以|去)?"
    r"(?:把[^，,。？?！!]{1,15}?)?"
    r"(?:上传|下载|安装|卸载|注册|登录|登陆|打开|关闭|关掉|取消|退订|退款|导出|导入|设置|开通"
    r"|充值|续费|绑定|解绑|删除|切换|开启|升级|调用|接入|配置|订阅|付款|支付|找回|领取|领|兑换|激活"
    r"|(?:使用|用|买)(?=$|[\s，,。？?！!啊呀呢吗]))"
    r"|(?:能不能|能否|可不可以|可以|支不支持|支持)(?:把[^，,。？?！!]{1,15}?)?"
    r"(?:上传|导出|导入|登录|登陆|注册|取消|退订|退款|续费|绑定|解绑|找回|领取|兑换|激活|充值)",
    re.IGNORECASE,
)
"""Asking how to do something: "how do i get ollama to use my gpu", "is there a way to cap
spend", "any workaround?", how others do it ("how do you guys forecast api spend"), and in
Chinese how to work an app or account ("kimi 怎么上传 pdf", "怎么把记录导出来", "怎么取消自动续费")
or whether it can ("能不能把对话导出成PDF"), while "是怎么训练的" and "怎么用国产芯片训练" ask
what was done and "能不能商用" or "能不能下载权重" what a licence allows."""


def asks_how_to(text: str) -> bool:
    """Whether a question asks how to do something, rather than what is so."""
    return _HOW_TO.search(text) is not None


_ASKS_THE_ROOM = re.compile(
    r"\b(?:any ?one|anybody|any of (?:you|u|y'?all))(?: (?:else|here|in here|on here))?"
    r" (?:actually )?(?:tried|trying|using|used|bought|buying|running|ran|switched|tested|testing"
    r"|deployed|deploying|played|playing|read|reading|benchmarked|self-?host(?:ed|ing)?"
    r"|fine-?tun(?:ed|ing)|going|attending|joining|watching)\b"
    r"|\b(?:what|which|where|how much)(?:'s|s| is| are| do)? (?:every ?one|everybody|y'?all"
    r"|you guys|u guys|you all|folks)(?: (?:else|here|in here))?"
    r" (?:using|running|doing|paying|trying|reading|watching|buying|use|run|pay)\b"
    r"|(?:你们|妳們|你們|大家|各位|有人|有没有人|有沒有人|谁|誰)[都还還]?(?:有)?(?:在用|用过|用過|试过"
    r"|試過|买过|買過|玩过|玩過|跑过|跑過|装过|裝過|看过|看過|去过|去過|用的[啥什])"
    r"|\b(?:is there|are there|any|know (?:of )?(?:a|any)|recommend(?: me)? (?:a|any|some)"
    r"|got (?:a|any)|what(?:'s| is|s) a)\s+(?:good\s+|solid\s+|decent\s+|readable\s+)?"
    r"(?:papers?|stud(?:y|ies)|tutorials?|guides?|courses?|blog ?posts?|videos?|write-?ups?"
    r"|tools?|resources?|configs?|templates?|scripts?|prompts?)\b"
    r"(?! (?:say|says|said|mention|mentions|mentioned)\b)",
    re.IGNORECASE,
)
"""Asking the other members what they did, use or will do: "anyone here using qwen through
openrouter", "anyone read the new entity list additions", "anyone going to computex", "whats
everyone using for evals", "通义的拍照问你们用过没", "大家都在用什么", or to
recommend something to read or use ("any good paper on speculative decoding", "whats a good
tool to count tokens", "anyone got a config that works"); not "anyone know kimi's price",
which asks what is so, nor "does any paper say", which asks what a source says."""


def asks_the_room(text: str) -> bool:
    """Whether a message asks the other members what they tried, use, read or will do."""
    return _ASKS_THE_ROOM.search(text) is not None


_RULED_OUT = re.compile(
    r"(?:^|[(,;:?!.—–])\s*not\s+(?:the\s+|a\s+)?([\w.+-]+)"
    r"|\b(?:one|version|model|variant|edition)\s+not\s+the\s+([\w.+-]+)"
    r"|(?:^|[（(，,；;：:？?！!。])\s*(?:不是|并非)\s*([A-Za-z][\w.+-]*)",
    re.IGNORECASE,
)
"""'Not' opening a clause or an aside, or setting "the" other one against the one meant, and
the word after it: "(not 5.1)", "? not pro, the verified one", "the base one not the pro",
"V4 普通版（不是Pro）". Inside a clause ("if not params", "is the model not open") it asks, not
excludes."""


def ruled_out(text: str) -> frozenset[str]:
    """The words a question rules out ("what did plain glm-5 (not 5.1) score"), lower-cased."""
    return frozenset(
        next(word for word in found.groups() if word).lower().rstrip(".")
        for found in _RULED_OUT.finditer(text)
    )


def asks_which_other_thing(text: str) -> bool:
    """Whether a question asks which named thing of a kind no model's or maker's name is ("which
    gpu", not "which model"): the names of the topic it asks about answer nothing."""
    return _WHICH_OTHER_THING.search(text) is not None


def which_of(text: str) -> frozenset[str]:
    """The words a question puts between "which" and the kind of thing it asks for, lower-cased:
    "which Claude model" asks for one of Claude's, "which intl chips" for international ones."""
    return frozenset(
        word.lower()
        for found in _WHICH_NAMED_THING.finditer(text)
        for word in (found.group(1) or found.group(2) or "").split()
    )
