"""Name analysis (attribution/names.py): a pure function on speaker strings."""

from __future__ import annotations

import pytest

from saidwho.attribution.names import analyse, is_clause_like, is_lowercase


@pytest.mark.parametrize(
    "text",
    ["Donald Trump", "Donald J. Trump", "Republican nominee Donald Trump", "Mr. Donald Trump"],
)
def test_titles_middle_names_and_initials_fold(text: str) -> None:
    info = analyse(text)
    assert (info.kind, info.name, info.key) == ("person", "Donald Trump", "donald trump")


@pytest.mark.parametrize("text", ["Trump", "Mr. Trump", "President Trump"])
def test_a_surname_with_or_without_title_is_the_surname(text: str) -> None:
    info = analyse(text)
    assert (info.kind, info.key, info.surname_only) == ("person", "trump", True)


def test_roles_are_kept_apart_from_the_name() -> None:
    info = analyse("U.S. Ambassador David Friedman")
    assert (info.name, info.role) == ("David Friedman", "U.S. Ambassador")
    info = analyse("Kellyanne Conway, Trump's campaign manager")
    assert (info.name, info.role) == ("Kellyanne Conway", "Trump's campaign manager")
    assert analyse("President Trump").role == "President"
    assert analyse("Mr. Trump").role is None  # an honorific folds, it is no role


def test_a_relative_clause_is_trimmed_to_the_name() -> None:
    info = analyse("Howard, who has been making movies since 1961 and who had roles in")
    assert (info.kind, info.name) == ("person", "Howard")


def test_middle_names_and_suffixes() -> None:
    assert analyse("Hillary Rodham Clinton").key == "hillary clinton"
    assert analyse("Donald Trump Jr.").key == "donald trump jr"
    assert analyse("Donald Trump Jr.").key != analyse("Donald Trump").key
    assert analyse("J.K. Rowling").kind == "person"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("people", "group"),
        ("several employees", "group"),
        ("Democrats", "group"),
        ("report", "unnamed"),
        ("officials", "unnamed"),
        ("a spokesman", "unnamed"),
        ("The president", "unnamed"),
        ("xenophobe", "unnamed"),
        ("A", "unnamed"),
        ("Q", "unnamed"),
        ("Q:", "unnamed"),
        ("The Washington Post", "organization"),
        ("the Trump campaign", "organization"),
        ("FBI", "organization"),
    ],
)
def test_common_nouns_organisations_and_labels_are_no_person(text: str, kind: str) -> None:
    assert analyse(text).kind == kind


def test_a_role_before_a_name_is_no_organisation() -> None:
    info = analyse("Clinton spokesman Brian Fallon")
    assert (info.kind, info.name, info.role) == ("person", "Brian Fallon", "Clinton spokesman")


def test_shape_helpers() -> None:
    assert is_lowercase("people") and not is_lowercase("Donald Trump")
    assert is_clause_like("Howard, who has been making movies")
    assert not is_clause_like("Donald J. Trump")


def test_of_phrases() -> None:
    info = analyse("Secretary of State Hillary Clinton")
    assert (info.name, info.written, info.role) == (
        "Hillary Clinton",
        "Hillary Clinton",
        "Secretary of State",
    )
    assert analyse("Bank of America").kind == "organization"
    assert analyse("Sen. Bernie Sanders").written == "Sen. Bernie Sanders"  # an address
    assert analyse("Billionaire Donald Trump").written == "Donald Trump"  # a description


def test_outlets_and_bodies_are_organisations_not_people() -> None:
    for name in (
        "Axios",
        "Reuters",
        "Riverside Chamber of Commerce",
        "The Riverside Chamber of Commerce",
    ):
        assert analyse(name).kind == "organization", name
    # one identity whatever the article: the same key with or without "The"
    assert (
        analyse("The Riverside Chamber of Commerce").key
        == analyse("Riverside Chamber of Commerce").key
    )
    assert analyse("Ann Lee").kind == "person"
