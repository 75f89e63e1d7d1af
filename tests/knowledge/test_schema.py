"""The published JSON Schema and the loader agree on what a valid knowledge file is."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.knowledge import KnowledgeError, bundled_knowledge_dir, load_knowledge
from bot.knowledge.schema import json_schema
from tests.knowledge.test_loader import RULES, TRANSLATED, VALID

SCHEMA_FILE = bundled_knowledge_dir() / "knowledge.schema.json"
LOADER_ONLY = {
    "unknown-topic",
    "duplicate-key",
    "glossary-without-words",
    "glossary-names-a-topic",
    "translated-card-row-unknown",
    "translation-into-own-language",
}
"""Rules a JSON Schema cannot express: references between items (a topic, a card's rows, the
source's language), YAML's duplicate keys, and what counts as a word or a topic's name."""


def as_json(text: str) -> object:
    """A YAML document as an editor's JSON view sees it: dates stay text."""
    loader = type("NoDates", (yaml.SafeLoader,), {})
    loader.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda self, node: self.construct_scalar(node)
    )
    return yaml.load(text, Loader=loader)


def schema_accepts(text: str) -> bool:
    try:
        jsonschema.validate(as_json(text), json_schema())
    except jsonschema.ValidationError:
        return False
    return True


def test_published_file_is_the_generated_schema() -> None:
    published = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert published == json_schema(), "run: footnote schema > knowledge/knowledge.schema.json"


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_every_bundled_file_passes_both() -> None:
    files = sorted(bundled_knowledge_dir().rglob("*.y*ml"))
    assert files
    load_knowledge(files)
    for path in files:
        assert schema_accepts(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("text", [VALID, TRANSLATED], ids=["valid", "translated"])
def test_valid_fixture_passes_both(tmp_path: Path, text: str) -> None:
    assert schema_accepts(text)
    (tmp_path / "k.yaml").write_text(text, encoding="utf-8")
    load_knowledge([tmp_path])


@pytest.mark.parametrize(("change", "expected"), RULES)
def test_every_rule_the_schema_can_express_rejects_in_both(
    tmp_path, request, change, expected
) -> None:
    text = VALID.replace(*change, 1)
    (tmp_path / "k.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_knowledge([tmp_path])
    assert schema_accepts(text) == (request.node.callspec.id in LOADER_ONLY)
