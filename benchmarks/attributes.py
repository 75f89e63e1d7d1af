"""What facts are about: attributes of a model, asked in several ways, answered with a figure.

Templates use `{e}` for the model's name and `{b}` for a benchmark's; a fact's qualifier ("on the
Kelvo plan") goes before the closing question mark. `questions` are formal and become a fact's
`question`, `chats` are how people type and become its `also`, and `unseen` wordings appear only
in the query set, so paraphrases are not just copies of the curated text.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

MONTHS = "January February March April May June July August September October November December"


@dataclass(frozen=True)
class Attribute:
    """One thing curators record about a model, with its wordings and a way to make a value."""

    slug: str
    section: str
    chinese: str
    questions: tuple[str, ...]
    chats: tuple[str, ...]
    unseen: tuple[str, ...]
    answer: str
    value: Callable[[random.Random], str] | None
    """Makes the figure; None when it comes from the model's family (its lab, its predecessor)."""
    keywords: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()
    chinese_ask: str = "是多少"
    """How a Chinese question about the attribute ends: 'how much', 'what', 'when', 'who'."""


def _date(rng: random.Random) -> str:
    """A release-style date, spelled out as articles do."""
    return f"{rng.choice(MONTHS.split())} {rng.randint(1, 28)}, {rng.randint(2023, 2026)}"


def _money(low: float, high: float, unit: str = "") -> Callable[[random.Random], str]:
    """A dollar amount in a range, so prices look like prices."""
    return lambda rng: f"USD {round(rng.uniform(low, high), 2):g}{unit}"


def _number(low: int, high: int, unit: str) -> Callable[[random.Random], str]:
    """A whole number with a unit, with thousands separators as curators write them."""
    return lambda rng: f"{rng.randint(low, high):,}{unit}"


def _percent(rng: random.Random) -> str:
    """A benchmark score as a percentage with one decimal."""
    return f"{rng.uniform(20, 98):.1f}%"


def _pick(*options: str) -> Callable[[random.Random], str]:
    """One of a few fixed values, for attributes that are categories."""
    return lambda rng: rng.choice(options)


def _parameters(rng: random.Random) -> str:
    """A total and an active parameter count, as mixture-of-experts cards give them."""
    total = rng.choice([7, 8, 14, 32, 70, 110, 235, 405, 671, 1000, 1200])
    return f"{total} billion parameters, {max(1, total // rng.randint(4, 20))} billion active"


ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute(
        "release-date",
        "Timeline",
        "发布日期",
        ("When was {e} released?", "What is the release date of {e}?"),
        ("{e} release date", "when did {e} come out", "{e} launch date", "{e} released when"),
        ("what day did {e} launch", "release of {e} when", "{e} came out on what date"),
        "{e} was released on {v}{q}.",
        _date,
        ("launch", "debut"),
        ("in {w}", "for {w} customers"),
        chinese_ask="是什么时候",
    ),
    Attribute(
        "context-window",
        "Model card",
        "上下文长度",
        ("How long is the context window of {e}?", "How much context can {e} take?"),
        ("{e} context window", "{e} context length", "max context {e}", "{e} ctx size"),
        ("how many tokens of context does {e} take", "{e} context size", "context limit of {e}"),
        "{e} accepts up to {v}{q}.",
        _pick("32K tokens", "128K tokens", "200K tokens", "256K tokens", "1M tokens", "2M tokens"),
        ("tokens", "long context"),
        ("in {w} mode", "with the {w} extension"),
    ),
    Attribute(
        "training-cost",
        "Training",
        "训练成本",
        ("How much did {e} cost to train?", "What was the training cost of {e}?"),
        ("{e} training cost", "cost of training {e}", "what was spent training {e}"),
        ("how expensive was {e} to train", "{e} train budget", "training bill for {e}"),
        "Training {e} cost about {v}{q}.",
        _money(0.5, 400, " million"),
        ("compute budget", "spend"),
        ("according to the {w} audit",),
    ),
    Attribute(
        "parameter-count",
        "Model card",
        "参数量",
        ("How many parameters does {e} have?", "What is the parameter count of {e}?"),
        ("{e} parameter count", "{e} params", "size of {e} in parameters", "how big is {e}"),
        ("{e} how many params", "number of parameters in {e}", "{e} model size parameters"),
        "{e} has {v}.",
        _parameters,
        ("size", "weights count"),
    ),
    Attribute(
        "licence",
        "Availability",
        "许可证",
        ("What licence is {e} released under?", "Under which licence is {e} published?"),
        ("{e} license", "{e} licence terms", "is {e} open source licence"),
        ("which license does {e} use", "{e} licensing", "what are the license terms of {e}"),
        "{e} is released under {v}{q}.",
        _pick(
            "Apache 2.0",
            "the MIT licence",
            "a custom community licence",
            "proprietary terms (API only)",
            "CC BY-NC 4.0",
            "a research-only licence",
        ),
        ("license", "terms of use"),
        ("for {w} users",),
        chinese_ask="是什么",
    ),
    Attribute(
        "developer",
        "Model card",
        "开发者",
        ("Who developed {e}?", "Which company made {e}?"),
        ("{e} developer", "who makes {e}", "company behind {e}", "who built {e}"),
        ("which lab created {e}", "who is the maker of {e}", "{e} made by who"),
        "{e} was developed by {v}.",
        None,
        ("maker", "lab", "company"),
        chinese_ask="是谁",
    ),
    Attribute(
        "price-per-month",
        "Pricing",
        "月费",
        ("How much does {e} cost per month?", "What is the monthly price of {e}?"),
        ("{e} monthly price", "{e} subscription price", "how much is {e} a month"),
        ("what's the monthly fee for {e}", "{e} price per month", "monthly cost of {e}"),
        "{e} costs {v} per month{q}.",
        _money(0, 250),
        ("fee", "subscription", "membership", "cost"),
        ("on the {w} plan", "for {w} subscribers"),
    ),
    Attribute(
        "api-input-price",
        "Pricing",
        "输入价格",
        (
            "What does the {e} API charge per million input tokens?",
            "How much do input tokens cost on {e}?",
        ),
        ("{e} input token price", "{e} api input cost", "input pricing {e} api"),
        ("how much are input tokens on {e}", "{e} price per million input tokens"),
        "The {e} API charges {v} per million input tokens{q}.",
        _money(0.05, 15),
        ("prompt tokens", "api pricing"),
        ("on the {w} tier", "in the {w} region"),
    ),
    Attribute(
        "api-output-price",
        "Pricing",
        "输出价格",
        (
            "What does the {e} API charge per million output tokens?",
            "How much do output tokens cost on {e}?",
        ),
        ("{e} output token price", "{e} api output cost", "output pricing {e} api"),
        ("how much are output tokens on {e}", "{e} price per million output tokens"),
        "The {e} API charges {v} per million output tokens{q}.",
        _money(0.2, 60),
        ("completion tokens", "api pricing"),
        ("on the {w} tier", "in the {w} region"),
    ),
    Attribute(
        "knowledge-cutoff",
        "Model card",
        "知识截止日期",
        ("What is the knowledge cutoff of {e}?", "Up to when does {e} know about the world?"),
        ("{e} knowledge cutoff", "{e} training data cutoff", "how recent is {e} knowledge"),
        ("when does {e} knowledge end", "{e} cutoff date", "up to what date does {e} know"),
        "{e} knows about events up to {v}.",
        _date,
        ("cutoff", "recency"),
        chinese_ask="是什么时候",
    ),
    Attribute(
        "max-output",
        "Model card",
        "最大输出",
        ("How many tokens can {e} write in one reply?", "What is the output limit of {e}?"),
        ("{e} max output tokens", "{e} output limit", "longest answer {e} can give"),
        ("{e} maximum output length", "output token limit of {e}", "how long can {e} replies be"),
        "{e} writes at most {v} per reply{q}.",
        _pick("4K tokens", "8K tokens", "16K tokens", "32K tokens", "64K tokens", "128K tokens"),
        ("reply length", "generation limit"),
        ("in {w} mode",),
    ),
    Attribute(
        "training-data",
        "Training",
        "训练数据量",
        ("How much data was {e} trained on?", "How many tokens was {e} trained on?"),
        ("{e} training data size", "{e} training tokens", "{e} pretraining data"),
        ("size of {e} pretraining corpus", "{e} dataset size", "what corpus size did {e} use"),
        "{e} was trained on {v}{q}.",
        lambda rng: f"{rng.uniform(1, 40):.1f} trillion tokens",
        ("corpus", "dataset"),
        ("including the {w} corpus",),
    ),
    Attribute(
        "gpu-count",
        "Training",
        "训练芯片数量",
        ("How many GPUs were used to train {e}?", "What hardware was {e} trained on?"),
        ("{e} gpu count", "{e} training hardware", "gpus used for {e}"),
        ("number of accelerators for {e}", "{e} trained on how many chips", "{e} gpu cluster"),
        "{e} was trained on {v}{q}.",
        _number(256, 100_000, " GPUs"),
        ("accelerators", "chips", "cluster"),
        ("at the {w} datacenter",),
    ),
    Attribute(
        "speed",
        "Performance",
        "生成速度",
        ("How fast does {e} generate text?", "How many tokens per second does {e} produce?"),
        ("{e} tokens per second", "{e} speed", "{e} throughput"),
        ("how quick is {e}", "generation speed of {e}", "{e} output speed tokens/s"),
        "{e} produces about {v}{q}.",
        _number(15, 900, " tokens per second"),
        ("tokens/s", "fast"),
        ("on {w} hardware", "through the {w} gateway"),
    ),
    Attribute(
        "latency",
        "Performance",
        "首字延迟",
        ("What is the time to first token of {e}?", "How long does {e} take to start answering?"),
        ("{e} latency", "{e} first token time", "how long until {e} responds"),
        ("{e} response delay", "time to first token {e}", "how laggy is {e}"),
        "{e} starts answering after {v}{q}.",
        _number(80, 4_000, " ms"),
        ("ttft", "delay"),
        ("on {w} hardware", "through the {w} gateway"),
    ),
    Attribute(
        "languages",
        "Model card",
        "支持语言",
        ("How many languages does {e} support?", "Which languages does {e} speak?"),
        ("{e} supported languages", "{e} language count", "languages {e} speaks"),
        ("which languages work with {e}", "number of languages in {e}", "{e} multilingual"),
        "{e} supports {v}.",
        _number(2, 200, " languages"),
        ("multilingual", "translation"),
    ),
    Attribute(
        "modalities",
        "Model card",
        "多模态",
        ("Can {e} read images and audio?", "Which input types does {e} accept?"),
        ("{e} modalities", "{e} multimodal support", "does {e} support vision"),
        ("is {e} multimodal", "what inputs does {e} accept", "{e} image input"),
        "{e} accepts {v}.",
        _pick("text only", "text and images", "text, images and audio", "text, images and video"),
        ("vision", "audio", "images"),
        chinese_ask="有哪些",
    ),
    Attribute(
        "open-weights",
        "Availability",
        "开放权重",
        ("Are the weights of {e} downloadable?", "Can you download the weights of {e}?"),
        ("{e} open weights", "can i download {e} weights", "{e} weights available"),
        ("is {e} open weight", "where to download {e} model weights", "{e} weights release"),
        "{e}: {v}.",
        _pick(
            "weights are public",
            "weights are not released",
            "weights on request for research",
            "weights after a six-month delay",
        ),
        ("download", "checkpoint"),
        chinese_ask="是什么",
    ),
    Attribute(
        "fine-tuning",
        "Availability",
        "微调",
        ("Can {e} be fine-tuned?", "Does {e} support fine-tuning?"),
        ("{e} fine tuning", "fine-tune {e}", "{e} finetuning support"),
        ("is fine tuning available for {e}", "how to finetune {e}", "{e} custom training"),
        "{e}: {v}{q}.",
        _pick(
            "fine-tuning is supported",
            "fine-tuning is not offered",
            "only LoRA adapters are supported",
            "fine-tuning is in private preview",
        ),
        ("adapters", "lora", "customisation"),
        ("through the {w} service",),
        chinese_ask="是什么",
    ),
    Attribute(
        "rate-limit",
        "Availability",
        "速率限制",
        ("What is the rate limit of the {e} API?", "How many requests per minute does {e} allow?"),
        ("{e} rate limit", "{e} requests per minute", "{e} api limits"),
        ("how many requests can i send {e}", "{e} throttle limit", "max rpm {e}"),
        "The {e} API allows {v}{q}.",
        _number(10, 10_000, " requests per minute"),
        ("rpm", "quota", "throttling"),
        ("on the {w} tier",),
    ),
    Attribute(
        "free-tier",
        "Pricing",
        "免费额度",
        ("Is there a free tier for {e}?", "Can {e} be used for free?"),
        ("{e} free plan", "{e} free tier", "can i use {e} for free"),
        ("is {e} free", "{e} without paying", "free access to {e}"),
        "{e}: {v}{q}.",
        _pick(
            "yes, with a daily message cap",
            "no free tier",
            "a 14-day free trial",
            "free for students",
        ),
        ("trial", "gratis"),
        ("in {w}",),
        chinese_ask="是什么",
    ),
    Attribute(
        "downloads",
        "Adoption",
        "下载量",
        ("How many times has {e} been downloaded?", "How popular is {e} by downloads?"),
        ("{e} downloads", "{e} download count", "{e} number of downloads"),
        ("how often was {e} downloaded", "{e} total downloads", "downloads of {e} so far"),
        "{e} has been downloaded {v}{q}.",
        _number(1_000, 90_000_000, " times"),
        ("popularity", "adoption"),
        ("from the {w} hub",),
    ),
    Attribute(
        "energy",
        "Training",
        "训练能耗",
        ("How much energy did training {e} use?", "What was the electricity use of training {e}?"),
        ("{e} training energy", "{e} electricity use", "{e} power consumption training"),
        ("how much power did {e} need to train", "energy bill of {e} training"),
        "Training {e} used about {v}{q}.",
        _number(50, 90_000, " MWh"),
        ("power", "electricity", "mwh"),
        ("according to the {w} audit",),
    ),
    Attribute(
        "hallucination-rate",
        "Evaluation",
        "幻觉率",
        ("What is the hallucination rate of {e}?", "How often does {e} make things up?"),
        ("{e} hallucination rate", "how often does {e} hallucinate", "{e} factual error rate"),
        ("does {e} hallucinate a lot", "{e} made up answers rate", "hallucinations {e} percent"),
        "{e} hallucinates in {v} of answers{q}.",
        lambda rng: f"{rng.uniform(0.5, 30):.1f}%",
        ("factuality", "errors"),
        ("on the {w} test",),
    ),
    Attribute(
        "architecture",
        "Model card",
        "架构",
        ("What architecture does {e} use?", "Is {e} a mixture-of-experts model?"),
        ("{e} architecture", "is {e} mixture of experts", "{e} model design"),
        ("how is {e} built inside", "{e} moe or dense", "what kind of network is {e}"),
        "{e} is {v}.",
        _pick(
            "a dense transformer",
            "a mixture-of-experts transformer",
            "a hybrid state-space and attention model",
            "a sparse mixture-of-experts with shared experts",
        ),
        ("moe", "dense", "transformer"),
        chinese_ask="是什么",
    ),
    Attribute(
        "predecessor",
        "Timeline",
        "前代",
        ("Which model did {e} replace?", "What came before {e}?"),
        ("{e} predecessor", "what came before {e}", "{e} previous version"),
        ("which model does {e} succeed", "older version of {e}", "{e} replaced what"),
        "{e} replaced {v}.",
        None,
        ("successor", "lineage"),
        chinese_ask="是什么",
    ),
    Attribute(
        "safety-rating",
        "Evaluation",
        "安全评级",
        ("What safety rating did {e} get?", "How safe is {e} rated?"),
        ("{e} safety rating", "{e} safety grade", "is {e} safe rating"),
        ("how did {e} do on safety", "{e} safety score", "safety evaluation of {e}"),
        "{e} was rated {v}{q}.",
        _pick("A", "A-", "B+", "B", "C"),
        ("red teaming", "risk"),
        ("by the {w} institute",),
        chinese_ask="是什么",
    ),
)
"""Attributes curated for some models and not others: the source of the hard cases."""

SCORE = Attribute(
    "score",
    "Benchmarks",
    "{b}得分",
    ("What did {e} score on {b}?", "What is the {b} score of {e}?"),
    ("{e} {b} score", "{b} result {e}", "how did {e} do on {b}", "{e} on {b}"),
    ("{e} score {b}", "{b} benchmark {e}", "how well does {e} perform on {b}"),
    "{e} scored {v} on {b}{q}.",
    _percent,
    ("benchmark", "eval"),
    ("in {w} mode", "with {w} prompting"),
)
"""A benchmark result: one attribute per benchmark, so a model has several of them."""

UNCURATED: tuple[tuple[str, ...], ...] = (
    ("what is the carbon footprint of {e}", "{e} carbon footprint", "how green is {e}"),
    ("what is the mascot of {e}", "{e} mascot", "does {e} have a mascot"),
    ("is {e} a registered trademark", "who owns the {e} trademark"),
    ("what is the stock ticker of {e}", "{e} stock ticker"),
    ("how many patents cover {e}", "{e} patent count"),
    ("what colour is the {e} logo", "{e} logo colour"),
    ("where is the {e} team headquartered", "{e} headquarters address"),
)
"""Wordings of attributes nobody curates: a question about them must get no answer."""
