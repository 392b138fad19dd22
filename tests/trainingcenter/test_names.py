"""Vietnamese name order (given name first, đ after d) and name splitting."""

import unicodedata

import pytest
from hypothesis import given, strategies as st

from trainingcenter.text import search_key, sort_key, split_name, told_apart


def ordered(*full_names):
    return sorted(full_names, key=lambda name: sort_key(*split_name(name)))


def test_given_name_decides_before_family_name():
    assert ordered("Trần Văn Bình", "Nguyễn Thị An") == [
        "Nguyễn Thị An",
        "Trần Văn Bình",
    ]


def test_then_middle_then_family():
    assert ordered("Trần Văn An", "Lê Thị An", "Lê Văn An") == [
        "Lê Thị An",
        "Lê Văn An",
        "Trần Văn An",
    ]


def test_d_with_stroke_comes_after_d():
    assert ordered("Lê Văn Đức", "Lê Văn Dũng", "Lê Văn Em") == [
        "Lê Văn Dũng",
        "Lê Văn Đức",
        "Lê Văn Em",
    ]


def test_breve_and_circumflex_come_after_plain_a():
    assert ordered("Lê Văn Ân", "Lê Văn Ăn", "Lê Văn Anh") == [
        "Lê Văn Anh",
        "Lê Văn Ăn",
        "Lê Văn Ân",
    ]


def test_tones_in_cldr_order():
    """ngang < huyền < hỏi < ngã < sắc < nặng, only when the letters are equal."""
    names = ["A Hạ", "A Há", "A Hã", "A Hả", "A Hà", "A Ha"]
    assert ordered(*names) == list(reversed(names))


def test_tone_is_weaker_than_a_later_letter():
    assert ordered("Lê Văn Hoan", "Lê Văn Hòa") == ["Lê Văn Hòa", "Lê Văn Hoan"]


def test_shorter_name_first():
    assert ordered("Lê Văn Anh", "Lê Văn An") == ["Lê Văn An", "Lê Văn Anh"]


def test_old_and_new_tone_placement_sort_together():
    """ "Hoà" and "Hòa" are the same name, typed two ways."""
    assert sort_key("Vũ", "Thị", "Ho\u00e0") == sort_key("Vũ", "Thị", "H\u00f2a")
    assert sort_key("Vũ", "Thị", "Hòa") != sort_key("Vũ", "Thị", "Hoa")


@pytest.mark.parametrize(
    "full, parts",
    [
        ("Nguyễn Thị Ngọc Ánh", ("Nguyễn", "Thị Ngọc", "Ánh")),
        ("Lò Văn Pấng", ("Lò", "Văn", "Pấng")),
        ("Hoa", ("", "", "Hoa")),
        ("Vàng  A   Dình", ("Vàng", "A", "Dình")),
        ("Trần Hưng", ("Trần", "", "Hưng")),
    ],
)
def test_split_name(full, parts):
    assert split_name(full) == parts


def test_nfd_input_sorts_like_nfc():
    nfc = "Nguyễn Thị Hòa"
    nfd = unicodedata.normalize("NFD", nfc)
    assert sort_key(*split_name(nfd)) == sort_key(*split_name(nfc))


vietnamese_word = st.text(
    alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằắặầấậèéẹềếệìíịòóọồốộờớợùúụừứựỳýỵ",
    min_size=1,
    max_size=7,
)
name = st.lists(vietnamese_word, min_size=1, max_size=5).map(" ".join)
spaces = st.sampled_from([" ", "  ", "\u00a0", "\t"])


@given(name, spaces)
def test_sort_and_search_keys_ignore_spacing_and_normal_form(full, space):
    messy = space + full.replace(" ", space) + space
    for variant in (messy, unicodedata.normalize("NFD", messy)):
        assert split_name(variant) == split_name(full)
        assert sort_key(*split_name(variant)) == sort_key(*split_name(full))
        assert search_key(variant) == search_key(full)


@given(name, name)
def test_sort_key_is_a_total_order_consistent_with_given_name_first(a, b):
    ka, kb = sort_key(*split_name(a)), sort_key(*split_name(b))
    assert set(ka) <= set("0123456789abcdefghijklmnopqrstuv")
    if ka == kb:
        assert search_key(a) == search_key(b)
    given_a, given_b = split_name(a)[2], split_name(b)[2]
    if search_key(given_a) != search_key(given_b) and not (
        search_key(given_a).startswith(search_key(given_b))
        or search_key(given_b).startswith(search_key(given_a))
    ):
        # Different given names: the family names play no part.
        assert (ka < kb) == (sort_key("", "", given_a) < sort_key("", "", given_b))


def test_a_message_tells_two_people_of_one_name_apart_by_their_birth():
    named = told_apart(
        {
            1: ("Trần Văn Anh", "10/08/1980"),
            2: ("Trần  văn Anh", "16/07/1982"),
            3: ("Lê Thị Bình", "1990"),
            4: ("Hoàng Văn Cường", ""),
            5: ("Hoàng Văn Cường", "02/01/1975"),
        }
    )
    assert named == {
        1: "Trần Văn Anh (10/08/1980)",
        2: "Trần  văn Anh (16/07/1982)",
        3: "Lê Thị Bình",
        4: "Hoàng Văn Cường",
        5: "Hoàng Văn Cường (02/01/1975)",
    }
