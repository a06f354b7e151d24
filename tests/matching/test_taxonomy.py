"""The taxonomy is data: its shape, and that terms from TOML are prepared for every channel."""

import tomllib

import pytest

import matching
from matching.matcher import TermMatcher, prepare
from matching.taxonomy import load

DOMAIN_CATEGORIES = {
    "repair",
    "moving",
    "rubbish",
    "garden",
    "seasonal",
    "errands",
    "outing",
    "housework",
    "digital",
    "company",
    "childcare",
    "pets",
    "cafeteria",
    "teaching",
}


def test_domain_categories_are_all_there_in_order():
    cats = matching.categories()
    assert {c.id for c in cats} >= DOMAIN_CATEGORIES
    assert all(c.id.isascii() and c.label and len(c.label) <= 20 and c.examples for c in cats)
    # Each category's own example is understood as that category.
    assert all(matching.understand(c.examples).category == c.id for c in cats)


def test_quick_reply_categories():
    quick = matching.quick_categories()
    assert 0 < len(quick) <= 12
    assert [c.id for c in quick] == [c.id for c in matching.categories() if c.quick]


def test_category_label_never_raises():
    assert matching.category_label("digital") == "スマホ・パソコン"
    assert matching.category_label("nope") == "nope"


def test_every_flag_reason_named_in_the_brief_exists():
    from matching.safety import safety_data

    kinds = {(r.tier, r.kind) for r in safety_data().rules}
    emergencies = {k for t, k in kinds if t == "now"}
    assert emergencies == {
        "unconscious", "chest_pain", "stroke", "bleeding", "fall", "choking", "burn",
        "fire", "gas", "crime", "missing", "welfare_check", "suicide", "abuse",
    }  # fmt: skip
    assert {k for t, k in kinds if t == "not_allowed"} == {
        "bodily_care", "medical", "money", "legal", "licence", "height", "driving", "long_term",
    }  # fmt: skip
    assert {k for t, k in kinds if t in ("maybe", "harmful", "referral")} == {
        "uncertain",
        "harm",
        "harassment",
    }


def test_a_new_category_is_a_data_change():
    data = tomllib.loads(
        """
        [[category]]
        id = "music"
        label = "音楽"
        examples = "ピアノを弾きたい"
        key = ["ピアノ"]
        strong = ["付添い"]
        """
    )
    tax = load(data)
    [term] = [t for t in tax.vocabulary if t.text == "ピアノ"]
    assert term.kana == "ぴあの"
    matcher = TermMatcher(tax.vocabulary)
    found = {matcher.terms[m.term].text for m in matcher.find(prepare("ぴあのと付き添い"))}
    assert found == {"ピアノ", "付添い"}


def test_bad_taxonomy_data_is_refused():
    base = {"id": "x", "label": "x", "examples": "x"}
    with pytest.raises(ValueError, match="too long"):
        load({"category": [{**base, "label": "あ" * 21}]})
    with pytest.raises(ValueError, match="12"):
        load({"category": [{**base, "id": f"c{i}", "quick": True} for i in range(13)]})


def test_labels_and_buttons_do_not_load_the_analyser():
    import subprocess
    import sys

    code = (
        "import sys, matching; matching.categories(); matching.quick_categories(); "
        "matching.category_label('repair'); print('sudachipy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_prepared_taxonomy_agrees_with_the_labels():
    from matching.taxonomy import taxonomy

    assert [c.info for c in taxonomy().categories] == matching.categories()
