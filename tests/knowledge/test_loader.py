"""Every validation rule of the loader: a failing file, the message a curator sees, and its line."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge import KnowledgeError, load_knowledge, loader
from bot.knowledge.format import FACT, FACT_TRANSLATION, TOPIC, Record

VALID = """\
source:
  id: demo
  title: Demo article
  publisher: Demo Press
  published: 2026-06-01
  url: null
topics:
  - id: kimi
    name: Kimi K2.6
    aliases: [Kimi, 月之暗面]
    summary: A model from Moonshot AI.
    card: {Developer: Moonshot AI, Context: "2M+ tokens"}
facts:
  - id: kimi-price
    topic: kimi
    question: How much does Kimi cost?
    also: [kimi price, "kimi monthly fee"]
    keywords: [membership]
    answer: Membership starts at RMB 39 a month.
    section: Kimi
"""

TOPIC_IN_CHINESE = (
    "    translations: {zh: {name: Kimi K2.6, summary: 月之暗面的模型。,"
    " card: {Developer: 月之暗面}}}\n"
)
FACT_IN_CHINESE = (
    "    translations:\n"
    "      zh: {question: Kimi 多少钱？, also: [kimi 月费], answer: 会员每月 RMB 39 起。}\n"
)
TRANSLATED = VALID.replace('"2M+ tokens"}\n', '"2M+ tokens"}\n' + TOPIC_IN_CHINESE).replace(
    "    section: Kimi\n", "    section: Kimi\n" + FACT_IN_CHINESE
)
"""VALID with a Chinese topic and fact, a line below VALID's from the facts on."""


def write(tmp_path: Path, text: str, name: str = "k.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(*paths: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(paths)
    return [str(problem) for problem in caught.value.problems]


def test_valid_file_loads_every_field(tmp_path: Path) -> None:
    knowledge = load_knowledge([write(tmp_path, VALID)])
    source = knowledge.sources["demo"]
    assert (source.title, source.publisher, source.published.isoformat()) == (
        "Demo article",
        "Demo Press",
        "2026-06-01",
    )
    assert source.url is None
    topic = knowledge.topics["kimi"]
    assert topic.aliases == ("Kimi", "月之暗面")
    assert dict(topic.card) == {"Developer": "Moonshot AI", "Context": "2M+ tokens"}
    fact = knowledge.facts["kimi-price"]
    assert fact.also == ("kimi price", "kimi monthly fee")
    assert fact.keywords == ("membership",)
    assert (fact.topic_id, fact.source_id, fact.section) == ("kimi", "demo", "Kimi")


# Each case: a replacement applied to VALID, and the exact `line: message` expected.
RULES = [
    pytest.param(
        ("  title: Demo article\n", ""),
        "2: source is missing required field 'title'",
        id="missing-required-field",
    ),
    pytest.param(
        ("    question: How much", "    quesiton: How much"),
        "16: unknown field 'quesiton' in fact; did you mean 'question'?",
        id="unknown-field-with-suggestion",
    ),
    pytest.param(
        ("    section: Kimi\n", "    section: Kimi\n    colour: red\n"),
        "21: unknown field 'colour' in fact (valid: id, topic, question, also, keywords, "
        "answer, section, translations)",
        id="unknown-field-without-close-match",
    ),
    pytest.param(
        ("  published: 2026-06-01", "  published: June 2026"),
        "5: source 'published' must be a date like 2026-06-01, not 'June 2026'",
        id="bad-date",
    ),
    pytest.param(
        ("    also: [kimi price,", "    also: [no,"),
        "17: fact 'also' entry: YAML reads 'no' as true/false, not text; put it in quotes",
        id="surprise-boolean",
    ),
    pytest.param(
        ("card: {Developer: Moonshot AI,", "card: {Developer: on,"),
        "12: topic 'card' 'Developer': YAML reads 'on' as true/false, not text; put it in quotes",
        id="surprise-boolean-in-card",
    ),
    pytest.param(
        ("    answer: Membership starts at RMB 39 a month.", '    answer: "  "'),
        "19: fact 'answer' must not be empty",
        id="empty-string",
    ),
    pytest.param(
        ("    answer: Membership starts at RMB 39 a month.", "    answer:"),
        "19: 'answer' must not be empty",
        id="null-required",
    ),
    pytest.param(
        ("    answer: Membership starts at RMB 39 a month.", "    answer: " + "x" * 1501),
        "19: fact 'answer' is 1,501 characters; the limit is 1,500",
        id="answer-too-long",
    ),
    pytest.param(
        ("    summary: A model from Moonshot AI.", "    summary: " + "y" * 1001),
        "11: topic 'summary' is 1,001 characters; the limit is 1,000",
        id="summary-too-long",
    ),
    pytest.param(
        ("  - id: kimi-price", "  - id: Kimi Price"),
        "14: fact 'id' must be lower-case letters, digits and dashes: 'Kimi Price'",
        id="bad-slug",
    ),
    pytest.param(
        ("    topic: kimi\n", "    topic: kimmi\n"),
        "15: fact 'kimi-price' names unknown topic 'kimmi'; did you mean 'kimi'?",
        id="unknown-topic",
    ),
    pytest.param(
        ("    keywords: [membership]", "    keywords: {membership: 1}"),
        "18: fact 'keywords' must be a list of texts",
        id="list-expected",
    ),
    pytest.param(
        ("    question: How much does Kimi cost?", "    question: [How much]"),
        "16: fact 'question' must be text, not a list",
        id="text-expected",
    ),
    pytest.param(
        ("  url: null", "  url: www.example.com"),
        "6: source 'url' must start with http:// or https://: 'www.example.com'",
        id="bad-url",
    ),
    pytest.param(
        ("    section: Kimi\n", "    section: Kimi\n    answer: again\n"),
        "21: duplicate key 'answer' (first at line 19)",
        id="duplicate-key",
    ),
    pytest.param(
        ("facts:\n", "facts: []\nold_facts:\n"),
        "14: unknown field 'old_facts' in knowledge file; did you mean 'facts'?",
        id="unknown-top-level-field",
    ),
    pytest.param(
        ("facts:\n", "glossary: [cost, price]\nfacts:\n"),
        "13: glossary must be a mapping of headwords to lists of equivalents",
        id="glossary-not-a-mapping",
    ),
    pytest.param(
        ("facts:\n", "glossary: {cost: []}\nfacts:\n"),
        "13: glossary 'cost' lists no equivalents",
        id="glossary-entry-empty",
    ),
    pytest.param(
        ("facts:\n", f"glossary: {{{'c' * 101}: [price]}}\nfacts:\n"),
        "13: glossary headword is 101 characters; the limit is 100",
        id="glossary-headword-too-long",
    ),
    pytest.param(
        ("facts:\n", 'glossary: {cost: ["!!"]}\nfacts:\n'),
        "13: glossary: '!!' has no letters or digits to match",
        id="glossary-without-words",
    ),
    pytest.param(
        ("facts:\n", "glossary: {chat: [kimi]}\nfacts:\n"),
        "13: glossary: 'kimi' overlaps 'Kimi', a name of topic 'kimi', which questions match by"
        " name already",
        id="glossary-names-a-topic",
    ),
    pytest.param(
        ("  url: null", "  url: null\n  language: English"),
        "7: source 'language' must be a language code such as en or zh, not 'English'",
        id="bad-source-language",
    ),
    pytest.param(
        ("    section: Kimi\n", "    section: Kimi\n" + FACT_IN_CHINESE.replace("zh:", "cn-zh:")),
        "22: fact 'translations' language must be a language code such as en or zh, not 'cn-zh'",
        id="bad-translation-language",
    ),
    pytest.param(
        (
            "    section: Kimi\n",
            "    section: Kimi\n" + FACT_IN_CHINESE.replace("also:", "aliases:"),
        ),
        "22: unknown field 'aliases' in fact translation; did you mean 'also'?",
        id="unknown-translation-field",
    ),
    pytest.param(
        ("    section: Kimi\n", "    section: Kimi\n    translations: {zh: {question: 多少}}\n"),
        "21: fact translation is missing required field 'answer'",
        id="translation-without-answer",
    ),
    pytest.param(
        (
            "    section: Kimi\n",
            f"    section: Kimi\n    translations: {{zh: {{answer: {'长' * 1501}}}}}\n",
        ),
        "21: fact translation 'answer' is 1,501 characters; the limit is 1,500",
        id="translated-answer-too-long",
    ),
    pytest.param(
        (
            '"2M+ tokens"}\n',
            '"2M+ tokens"}\n' + TOPIC_IN_CHINESE.replace("summary:", "name_zh: x, summary:"),
        ),
        "13: unknown field 'name_zh' in topic translation; did you mean 'name'?",
        id="unknown-topic-translation-field",
    ),
    pytest.param(
        (
            '"2M+ tokens"}\n',
            '"2M+ tokens"}\n' + TOPIC_IN_CHINESE.replace("{Developer:", "{开发商:"),
        ),
        "13: topic translation 'zh' card row '开发商' is not a row of the topic's card"
        " (rows: Developer, Context)",
        id="translated-card-row-unknown",
    ),
    pytest.param(
        ("    section: Kimi\n", "    section: Kimi\n" + FACT_IN_CHINESE.replace("zh:", "en:")),
        "22: fact 'translations': 'en' is the source's own language",
        id="translation-into-own-language",
    ),
]


NOT_STATED = VALID.replace(
    '"2M+ tokens"}\n', '"2M+ tokens"}\n    not_stated: [valuation, release date, 估值]\n'
)


def test_what_a_topics_source_does_not_say_loads_in_written_order(tmp_path: Path) -> None:
    topic = load_knowledge([write(tmp_path, NOT_STATED)]).topics["kimi"]
    assert topic.not_stated == ("valuation", "release date", "估值")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{valuation: yes}", "13: topic 'not_stated' must be a list of texts"),
        ("[valuation, '']", "13: topic 'not_stated' entry must not be empty"),
        ("[valuation, [ceo]]", "13: topic 'not_stated' entry must be text, not a list"),
    ],
)
def test_what_a_topics_source_does_not_say_must_be_texts(
    tmp_path: Path, value: str, expected: str
) -> None:
    text = NOT_STATED.replace("[valuation, release date, 估值]", value)
    assert any(problem.endswith(expected) for problem in problems(write(tmp_path, text)))


def test_translations_load_under_their_record(tmp_path: Path) -> None:
    knowledge = load_knowledge([write(tmp_path, TRANSLATED)])
    assert knowledge.sources["demo"].language == "en"
    topic = knowledge.topics["kimi"].translation("zh")
    assert topic is not None
    assert (topic.name, topic.summary, topic.card) == (
        "Kimi K2.6",
        "月之暗面的模型。",
        (("Developer", "月之暗面"),),
    )
    fact = knowledge.facts["kimi-price"]
    assert fact.translation("zh") == loader.FactTranslation(
        answer="会员每月 RMB 39 起。", question="Kimi 多少钱？", also=("kimi 月费",)
    )
    assert fact.translation("fr") is None
    assert list(knowledge.facts) == ["kimi-price"], "one id for the fact in every language"


def test_a_source_in_chinese_may_be_translated_into_english(tmp_path: Path) -> None:
    text = TRANSLATED.replace("  url: null", "  url: null\n  language: zh").replace(
        "      zh: {question", "      en: {question"
    )
    knowledge = load_knowledge([write(tmp_path, text.replace("{zh: {name", "{en: {name"))])
    assert knowledge.sources["demo"].language == "zh"
    assert knowledge.facts["kimi-price"].translation("en") is not None


@pytest.mark.parametrize(("change", "expected"), RULES)
def test_each_rule_reports_its_line_and_message(tmp_path, change, expected) -> None:
    old, new = change
    assert old in VALID
    path = write(tmp_path, VALID.replace(old, new, 1))
    found = problems(path)
    assert found[0].startswith(f"{path}:")
    assert any(problem.split(":", 1)[1] == expected for problem in found), found


def test_bad_yaml_line_is_where_the_parser_stopped(tmp_path: Path) -> None:
    path = write(
        tmp_path, VALID.replace("    also: [kimi price,", "    also: [kimi price,\n  x: ]")
    )
    (problem,) = problems(path)
    assert ":18: invalid YAML: " in problem


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = VALID.replace("  title: Demo article\n", "").replace("  - id: kimi\n", "  - id: KIMI\n")
    found = problems(write(tmp_path, text.replace("    section:", "    sektion:")))
    assert [p.split(":")[1] for p in found] == ["2", "7", "19"], found


def test_empty_facts_list_is_an_error(tmp_path: Path) -> None:
    text = VALID[: VALID.index("facts:")] + "facts: []\n"
    (problem,) = problems(write(tmp_path, text))
    assert problem.endswith(":13: knowledge file 'facts' must have at least one entry")


def test_missing_facts_is_an_error(tmp_path: Path) -> None:
    text = VALID[: VALID.index("facts:")]
    (problem,) = problems(write(tmp_path, text))
    assert problem.endswith(":1: knowledge file is missing required field 'facts'")


def test_duplicate_ids_across_files_name_both_places(tmp_path: Path) -> None:
    first = write(tmp_path, VALID, "a.yaml")
    second = write(tmp_path, VALID.replace("id: demo", "id: demo-two"), "b.yaml")
    found = problems(first, second)
    assert any(":8: duplicate topic id 'kimi' (first at " in p and "a.yaml:8)" in p for p in found)
    assert any(":14: duplicate fact id 'kimi-price' (first at " in p for p in found)
    assert all("b.yaml" in p for p in found)


def test_fact_may_name_a_topic_from_another_file(tmp_path: Path) -> None:
    write(tmp_path, VALID, "a.yaml")
    other = VALID.replace("id: demo", "id: other").split("topics:")[0] + textwrap.dedent(
        """\
        facts:
          - id: kimi-context
            topic: kimi
            question: How long is Kimi's context?
            answer: Over 2M tokens.
        """
    )
    write(tmp_path, other, "b.yaml")
    knowledge = load_knowledge([tmp_path])
    assert knowledge.facts["kimi-context"].topic_id == "kimi"
    assert knowledge.facts["kimi-context"].source_id == "other"


def test_directory_is_searched_recursively_for_yaml_and_yml(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    write(nested, VALID, "one.yml")
    write(tmp_path, "not: knowledge", "notes.txt")
    assert list(load_knowledge([tmp_path]).facts) == ["kimi-price"]


def test_missing_path_is_one_problem(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path / "nowhere")
    assert problem.endswith("nowhere: no such file or directory")


def test_empty_directory_has_no_knowledge_and_is_named(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (problem,) = problems(empty)
    assert problem == f"{empty}: no knowledge files (*.yaml, *.yml) found"


def test_a_device_is_not_a_file_or_folder() -> None:
    (problem,) = problems(Path("/dev/null"))
    assert problem == "/dev/null: not a file or folder"


def unreadable(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Listing the folder fails as it does without permission (which root always has)."""
    listing = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_subfolder_is_a_problem_not_skipped(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, VALID)
    locked = tmp_path / "locked"
    locked.mkdir()
    write(locked, VALID.replace("demo", "more").replace("kimi", "glm"), "more.yaml")
    unreadable(monkeypatch, locked)
    (problem,) = problems(tmp_path)
    assert problem == f"{locked}: cannot read folder: Permission denied"


def test_empty_file(tmp_path: Path) -> None:
    (problem,) = problems(write(tmp_path, ""))
    assert problem.endswith("file is empty; expected 'source' and 'facts'")


def test_non_utf8_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(VALID.encode().replace(b"Demo Press", b"D\xe9mo Press"))
    (problem,) = problems(path)
    assert problem.endswith(":4: not UTF-8 text (byte 0xe9)")


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    (problem,) = problems(write(tmp_path, "- just\n- a list\n"))
    assert problem.endswith(":1: knowledge file must be a mapping of keys to values")


def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("source: " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    found = problems(path)
    assert found


def test_billion_laughs_aliases_stay_cheap(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    text = VALID.replace("    keywords: [membership]", "    keywords: *a9")
    path = write(tmp_path, "\n".join(lines) + "\n" + text.replace("source:", "source:", 1))
    found = problems(path)
    assert any("unknown field 'a0'" in p for p in found)
    assert any("fact 'keywords' entry must be text, not a list" in p for p in found)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_is_followed_once(tmp_path: Path) -> None:
    write(tmp_path, VALID)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert list(load_knowledge([tmp_path]).facts) == ["kimi-price"]


def test_numbers_are_accepted_as_text(tmp_path: Path) -> None:
    text = VALID.replace('Context: "2M+ tokens"', "Parameters: 229")
    knowledge = load_knowledge([write(tmp_path, text)])
    assert dict(knowledge.topics["kimi"].card)["Parameters"] == "229"


def _tags(node: yaml.Node) -> list[str]:
    """Every node's tag, depth first."""
    children = node.value if isinstance(node.value, list) else []
    flat = [child for pair in children for child in (pair if isinstance(pair, tuple) else [pair])]
    return [node.tag, *(tag for child in flat for tag in _tags(child))]


PLAIN_SCALARS = st.text(
    alphabet=st.sampled_from("abnNyYtTfFoO~.-+0123456789:_ eE x"), min_size=0, max_size=12
)


@settings(max_examples=300)
@given(st.lists(PLAIN_SCALARS | st.text(max_size=8), max_size=6))
def test_the_fast_resolver_tags_every_scalar_as_pyyaml_does(values: list[str]) -> None:
    """The loader's shortcut for text must never change what a scalar is read as."""
    document = yaml.safe_dump({f"k{i}": value for i, value in enumerate(values)})
    plain = "\n".join(f"p{i}: {value}" for i, value in enumerate(values * 2) if value.strip())
    for text in (document, plain):
        try:
            expected = yaml.compose(text, Loader=loader._BaseLoader)
        except yaml.YAMLError:
            continue
        found = yaml.compose(text, Loader=loader._YamlLoader)
        assert (found and _tags(found)) == (expected and _tags(expected))


FIELD_VALUES = st.one_of(
    PLAIN_SCALARS,
    st.sampled_from(["x" * 65, "x" * 301, "  ", "'2026'", "[]", "{}", "!!str [a]", "Ab-c"]),
    st.lists(PLAIN_SCALARS, max_size=3).map(lambda items: f"[{', '.join(items)}]"),
    st.dictionaries(PLAIN_SCALARS, PLAIN_SCALARS, max_size=3).map(
        lambda rows: "{" + ", ".join(f"{key}: {value}" for key, value in rows.items()) + "}"
    ),
)
"""What a record's field may hold: texts, numbers, flags, nulls, too long, lists, mappings."""
RECORD_KEYS = st.sampled_from(
    [*{key for spec in (FACT, TOPIC) for key in spec.field_names}, "topics", "1", "true", "~"]
)


@settings(max_examples=400)
@given(
    st.sampled_from([FACT, TOPIC, FACT_TRANSLATION]),
    st.dictionaries(RECORD_KEYS, FIELD_VALUES, max_size=4),
    st.booleans(),
)
def test_plain_records_read_at_once_read_as_every_check_reads_them(
    spec: Record, changes: dict[str, str], repeated: bool
) -> None:
    """The shortcut for plain records gives what the full checks give without a problem, or
    leaves the record to them: a complete record with some fields changed, added or repeated."""
    pairs = {spec_field.name: "a-b" for spec_field in spec.required_fields} | changes
    lines = [f"{key}: {value}" for key, value in pairs.items()]
    text = "\n".join(lines + lines[-1:] if repeated else lines)
    try:
        node = yaml.compose(text, Loader=loader._YamlLoader)
    except yaml.YAMLError:
        return
    plain = loader._plain_fields(node, spec)
    if plain is None:
        return
    reader = loader._FileReader(Path("k.yaml"))
    values = reader.record(node, spec)
    assert values is not None
    assert (reader._checked(values, spec), reader.problems) == (plain, [])


def test_a_problem_in_a_plain_looking_record_is_still_worded(tmp_path: Path) -> None:
    path = write(
        tmp_path, VALID.replace("also: [kimi price,", "also: [kimi price, kimi price, true,")
    )
    assert problems(path) == [
        f"{path}:17: fact 'also' entry: YAML reads 'true' as true/false, not text; put it in quotes"
    ]


def test_two_topics_called_the_same_in_two_files_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path, VALID, "a.yaml")
    other = (
        VALID.replace("id: demo", "id: other")
        .replace("id: kimi\n", "id: moonshot\n")
        .replace("Kimi K2.6", "Moonshot")
        .replace("id: kimi-price", "id: moonshot-price")
        .replace("topic: kimi", "topic: moonshot")
    )
    write(tmp_path, other, "b.yaml")
    assert problems(tmp_path) == [
        f"{tmp_path / 'b.yaml'}:10: topic 'moonshot' is also called {name!r}, as is topic "
        f"'kimi' (at {tmp_path / 'a.yaml'}:8); a name must lead to one topic"
        for name in ("Kimi", "月之暗面")
    ]


def test_facts_that_are_not_a_list_name_the_field(tmp_path: Path) -> None:
    text = VALID[: VALID.index("facts:")] + "facts:\n  id: kimi-price\n"
    (problem,) = problems(write(tmp_path, text))
    assert problem.endswith(":14: 'facts' must be a list (one '- ' entry per item)")
