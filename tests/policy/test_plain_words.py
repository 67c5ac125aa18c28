"""What a person reads of a catalog holds none of its authors' code names (core/policy/plain_words.py)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from core.policy.loader import load_catalog
from core.policy.plain_words import READ_KEYS, plain, plain_catalog
from core.resources import resource_dir

CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\bR-[\w-]+")
FILES = sorted(resource_dir("policies").glob("*.json"))


def read_texts(raw: Any) -> Iterator[str]:
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key in READ_KEYS and isinstance(value, str):
                yield value
            elif key in READ_KEYS and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            yield from read_texts(value)
    elif isinstance(raw, list):
        for value in raw:
            yield from read_texts(value)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_code_name_is_left_in_what_is_read(path) -> None:
    texts = list(read_texts(plain_catalog(json.loads(path.read_text(encoding="utf-8")))))
    ids = re.compile(r"R-[\w-]+")  # a rule's "reading" names the reading it follows: not read
    assert [t for t in texts if CODE.search(t) and not ids.fullmatch(t)] == []


def test_references_and_code_names_become_words() -> None:
    names = {"job_placement_seasonal": "“季节性用工职业介绍补贴”", "marginal_at_risk": "边缘易致贫人口"}
    assert plain("另列为 job_placement_seasonal（见解读 R-q6-seasonal）。", names) == (
        "另列为“季节性用工职业介绍补贴”（见政策理解）。"
    )
    assert (
        plain("边缘户劳动力（marginal_at_risk）同样符合", names) == "边缘户劳动力（边缘易致贫人口）同样符合"
    )


def test_the_loaded_catalog_reads_plainly_and_keeps_its_hash() -> None:
    path = resource_dir("policies") / "qianyang-2021.json"
    catalog = load_catalog(path)

    assert catalog.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert catalog is not None
    assert not any(CODE.search(r.reading) or CODE.search(r.question) for r in catalog.readings)
