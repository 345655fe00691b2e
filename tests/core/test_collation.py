"""Vietnamese alphabetical order (apps/core/collation.py)."""

from apps.core.collation import vietnamese_key


def test_letters_with_marks_and_d_with_stroke_are_letters_of_their_own():
    names = ["Đồng Tháp", "Yên Bái", "Dầu Tiếng", "Điện Biên", "An Giang", "Ân Thi", "Ăn Quán"]
    assert sorted(names, key=vietnamese_key) == [
        "An Giang",
        "Ăn Quán",
        "Ân Thi",
        "Dầu Tiếng",
        "Điện Biên",
        "Đồng Tháp",
        "Yên Bái",
    ]


def test_syllable_by_syllable_then_tones_in_dictionary_order():
    assert sorted(["Cao Bằng", "Cần Thơ", "Cà Mau"], key=vietnamese_key) == [
        "Cà Mau",
        "Cao Bằng",
        "Cần Thơ",
    ]
    assert sorted(["mạ", "má", "mã", "mả", "mà", "ma"], key=vietnamese_key) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
    ]
    assert sorted(["Huế", "Hưng Yên", "Hồ Chí Minh", "Hà Nội"], key=vietnamese_key) == [
        "Hà Nội",
        "Hồ Chí Minh",
        "Huế",
        "Hưng Yên",
    ]


def test_case_and_unicode_form_do_not_matter():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Đà Nẵng")
    assert vietnamese_key(nfd) == vietnamese_key("đà nẵng") == vietnamese_key("Đà Nẵng")
