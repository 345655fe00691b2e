"""Vietnamese alphabetical order, for lists sorted in Python (the databases' default collations
put "Đà Nẵng" after "Yên Bái", and neither SQLite nor a default PostgreSQL build has a
Vietnamese collation).

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y: the letters with a
breve, circumflex or horn, and đ, are letters of their own (primary order); the five tone marks
only break ties (secondary order: none, grave, hook, tilde, acute, dot below, the order of
Vietnamese dictionaries, e.g. Hoàng Phê's Từ điển tiếng Việt)."""

import unicodedata

# Marks that make a letter of their own: breve (ă), circumflex (â ê ô), horn (ơ ư).
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}
# Tone marks, in dictionary order after the level tone.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_key(text: str) -> tuple[tuple, tuple]:
    """A sort key: `sorted(names, key=vietnamese_key)` gives dictionary order, case-insensitive."""
    primary: list[tuple[str, int]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _LETTER_MARKS and primary:
            base, _ = primary[-1]
            primary[-1] = (base, _LETTER_MARKS[char])
        elif char in _TONES:
            if tones:
                tones[-1] = _TONES[char]
        elif char == "đ":
            primary.append(("d", 9))
            tones.append(0)
        elif not unicodedata.combining(char):
            primary.append((char, 0))
            tones.append(0)
    return tuple(primary), tuple(tones)
