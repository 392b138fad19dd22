"""Vietnamese text: invisible characters removed, keys to search and to compare
names, the Vietnamese order."""

import functools
import re
import unicodedata

# Characters that show nothing yet make two equal-looking texts differ: zero-width
# spaces and joiners, the word joiner, the soft hyphen, the byte order mark and
# the direction marks that text copied from web pages and PDFs carries.
_INVISIBLE = "\u00ad\u034f\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
_INVISIBLE += "".join(chr(code) for code in range(0x202A, 0x202F))
_INVISIBLE += "".join(chr(code) for code in range(0x2061, 0x2070))
# Spaces of every other width and kind, and line breaks inside a cell.
_SPACES = "\t\n\v\f\r\u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000"
_SPACES += "".join(chr(code) for code in range(0x2000, 0x200B))
_PLAIN = str.maketrans({**dict.fromkeys(_INVISIBLE), **dict.fromkeys(_SPACES, " ")})
_ODD = re.compile(f"[{re.escape(_INVISIBLE + _SPACES)}]")


def plain_text(text: str) -> str:
    """`text` without invisible characters, every kind of space a plain space.

    Applied to a cell before anything else reads it, so that a name pasted
    with a zero-width or no-break space is the name as it looks.
    """
    if text.isascii():
        return text if text.isprintable() else text.translate(_PLAIN)
    return text.translate(_PLAIN) if _ODD.search(text) else text


@functools.lru_cache(maxsize=65536)
def search_key(text: str) -> str:
    """Lower-case `text` without diacritics, đ as d, spaces collapsed.

    "  Nguyễn Thị  HOÀ " and "nguyen thi hoa" give the same key, whether the
    input came composed (NFC) or decomposed (NFD).
    """
    decomposed = unicodedata.normalize("NFD", plain_text(text))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    bare = bare.replace("đ", "d").replace("Đ", "D")
    return " ".join(bare.lower().split())


# Vietnamese letter order (a before ă before â, d before đ...), with the Latin
# letters that Vietnamese lacks (f, j, w, z) at their Latin places for foreign names.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l",
    "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y",
    "z",
]  # fmt: skip
_DIGITS = "0123456789abcdefghijklmnopqrstuv"  # base 32, ASCII order
# Combining marks that make a new letter, and the tone marks in CLDR order:
# ngang < huyền < hỏi < ngã < sắc < nặng.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(word: str):
    """Split a word into (letter, tone, is_upper) triples."""
    letters: list[list] = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES and letters:
            letters[-1][1] = _TONES[ch]
        elif ch in _LETTER_MARKS and letters:
            letters[-1][0] = unicodedata.normalize("NFC", letters[-1][0] + ch)
        elif unicodedata.category(ch) != "Mn":
            letters.append([ch.lower(), 0, ch.isupper()])
    return letters


def _rank(letter: str) -> str:
    """Two base-32 digits: 01 a space, 02.. the letters, then everything else."""
    if letter.isspace():
        rank = 1
    elif letter in _ALPHABET:
        rank = _ALPHABET.index(letter) + 2
    else:  # digits and other signs sort after the letters
        rank = len(_ALPHABET) + 2 + ord(letter) % 900
    return _DIGITS[rank // 32] + _DIGITS[rank % 32]


# Family, middle and given names repeat across a list (Nguyễn, Thị, Văn, Hoa):
# a 5.000-person list has a few hundred distinct words.
@functools.lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    letters = _letters(" ".join(word.split()))
    primary = "".join(_rank(letter) for letter, _, _ in letters)
    # One tone per syllable, wherever it was typed: "Hoà" and "Hòa" are one name.
    tones = "".join(
        str(
            max(
                (_TONES.get(ch, 0) for ch in unicodedata.normalize("NFD", syllable)),
                default=0,
            )
        )
        for syllable in word.split()
    )
    case = "".join("1" if upper else "0" for _, _, upper in letters)
    return f"{primary}00{tones}{case}"


def identity_key(full_name: str) -> str:
    """The key under which two spellings of a name are one name.

    Composed or decomposed (NFC, NFD), the tone mark on either vowel ("Hòa",
    "Hoà"), capitals and spacing do not count; every letter and mark does:
    "Hoa", "Hòa" and "Hóa" are three names.
    """
    words = []
    for word in plain_text(full_name).lower().split():
        tone, letters = 0, []
        for ch in unicodedata.normalize("NFD", word):
            if ch in _TONES:
                tone = _TONES[ch]
            else:
                letters.append(ch)
        words.append(unicodedata.normalize("NFC", "".join(letters)) + str(tone))
    return " ".join(words)


def collation_key(text: str) -> str:
    """Order any name (a unit, a list) the Vietnamese way: "Đảng…" after "D…"."""
    return _word_key(text)


def sort_key(family: str, middle: str, given: str) -> str:
    """A string that orders names the Vietnamese way under plain byte order.

    Given name first, then middle name, then family name; each compared by its
    letters in Vietnamese order (đ after d, ă and â after a, …), then by tones
    in CLDR order, then by case. A shorter name sorts before a longer one that
    begins with it. The key uses only 0-9 and a-v, so PostgreSQL and SQLite
    order it the same under any collation.
    """
    return "0".join(_word_key(part) for part in (given, middle, family))


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) from a full name: first word, last word, the rest.

    "Nguyễn Thị Ngọc Ánh" -> ("Nguyễn", "Thị Ngọc", "Ánh"); one word is a given name.
    """
    words = unicodedata.normalize("NFC", full_name).split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def told_apart(people: dict) -> dict:
    """{key: (full name, birth as printed)} → {key: the name a message shows}:
    the name alone, or with the birth where two people of the list share the
    name ("Trần Văn Anh (10/08/1980)"), so a message names one person."""
    counts: dict[str, int] = {}
    for name, _birth in people.values():
        counts[search_key(name)] = counts.get(search_key(name), 0) + 1
    return {
        key: f"{name} ({birth})" if counts[search_key(name)] > 1 and birth else name
        for key, (name, birth) in people.items()
    }


# The words after which a body's own name begins in a document header.
_PLACE_KINDS = re.compile(
    r"\b(?:PHƯỜNG|THỊ TRẤN|THỊ XÃ|XÃ|ĐẶC KHU|THÀNH PHỐ|TỈNH|HUYỆN|QUẬN"
    r"|TRUNG TÂM CHÍNH TRỊ)\s+",
    re.IGNORECASE,
)
# Longer than this, a name could not keep to one line of the header's column.
_ONE_LINE = 24


def unbroken_name(line: str) -> str:
    """A header line that wraps before a body's own name, not inside it:
    "ĐẢNG ỦY PHƯỜNG / XUÂN HƯƠNG – ĐÀ LẠT", never "ĐẢNG ỦY PHƯỜNG XUÂN /
    HƯƠNG – ĐÀ LẠT". The spaces of the name after the last kind of place
    become non-breaking when the name fits on one line."""
    kinds = list(_PLACE_KINDS.finditer(line))
    if not kinds:
        return line
    start = kinds[-1].end()
    name = line[start:]
    if len(name) > _ONE_LINE:
        return line
    return line[:start] + name.replace(" ", "\u00a0")
