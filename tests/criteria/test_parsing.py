"""The HTML → data parser (no database)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.criteria.parsing import ParseError, html_blocks, parse_decision, parse_sheet

from .conftest import QD26_FILE

# The transcript is committed beside the data it produces, so these tests always run.
SOURCE = (
    Path(__file__).resolve().parents[2]
    / "apps"
    / "criteria"
    / "data"
    / "source"
    / "qd-26-2026-QD-TTg.html"
)


def table(*rows: tuple[str, str]) -> str:
    cells = "".join(f"<tr><td><p>{a}</p></td><td><p>{b}</p></td></tr>" for a, b in rows)
    return f"<table><tbody><tr><td>Các tiêu chí</td><td>Thang điểm</td></tr>{cells}</tbody></table>"


def sheet(*rows: tuple[str, str], header=("Hồ sơ bị loại khi: Giả mạo hồ sơ",)) -> dict:
    blocks = html_blocks(table(*rows))
    return parse_sheet(blocks[0], number_=1, title="Thử", header=list(header), index_title="Thử")


PARTS = (
    ("Phần A: SẢN PHẨM (3 Điểm)", "3"),
    ("1. TỔ CHỨC SẢN XUẤT", "3"),
)
PARTS_BC = (
    ("Phần B: TIẾP THỊ (1 Điểm)", "1"),
    ("4. TIẾP THỊ", "1"),
    ("4.1. Song ngữ", "1"),
    ("Phần C: CHẤT LƯỢNG (2 Điểm)", "2"),
    ("6. TÍNH ĐỘC ĐÁO", "2"),
    ("□ Trung bình", "0"),
    ("□ Độc đáo*****", "2"),
    ("TỔNG CỘNG", "6"),
)


def criterion(data: dict, code: str) -> dict:
    return next(c for c in data["criteria"] if c["code"] == code)


def test_options_points_markers_and_notes():
    data = sheet(
        *PARTS,
        ("1.1. Nguồn nguyên liệu", "3"),
        ("□ Dưới 50%***", "1"),
        ("□ Không rõ", ""),
        ("□ Trên 75% * * * *", "3"),
        ("Ghi chú: Bị loại nếu không rõ nguồn gốc", ""),
        *PARTS_BC,
    )
    c = criterion(data, "1.1")
    assert [(o["number"], o["text"], o["points"], o["min_star"]) for o in c["options"]] == [
        (1, "Dưới 50%", 1, 3),
        (2, "Không rõ", 0, None),
        (3, "Trên 75%", 3, 4),
    ]
    assert c["options"][1]["blank_points"] is True
    assert c["knockout"] and c["knockout_note"] == "Ghi chú: Bị loại nếu không rõ nguồn gốc"
    # a blank cell below a 1-point option and a spaced marker are both flagged, never fixed
    assert c["review"] and "không tăng dần" in c["review_note"] and "* * * *" in c["review_note"]
    assert c["options"][2]["review"]


def test_boolean_item_section_criterion_and_totals():
    data = sheet(*PARTS, ("1.1. Một", "3"), ("□ Có", "3"), *PARTS_BC)
    bilingual = criterion(data, "4.1")
    assert bilingual["boolean_item"]
    assert [(o["text"], o["points"]) for o in bilingual["options"]] == [("Không", 0), ("Có", 1)]
    uniqueness = criterion(data, "6")  # a section printed with its own options
    assert uniqueness["section"] == 6 and uniqueness["options"][1]["min_star"] == 5
    assert not data["review"] and not any(p["review"] for p in data["parts"])


def test_section_sum_and_best_option_mismatches_are_flagged():
    data = sheet(
        *PARTS,
        ("1.1. Một", "2"),
        ("□ Có", "2"),
        ("1.2. Hai", "2"),
        ("□ Có", "11"),
        *PARTS_BC,
    )
    section = data["sections"][0]
    assert section["review"] and "cộng lại được 4" in section["review_note"]
    c = criterion(data, "1.2")
    assert c["max_points"] == 2 and c["options"][0]["points"] == 11
    assert c["review"] and c["options"][0]["review"]
    part_a = data["parts"][0]
    assert part_a["review"]


def test_illegible_maximum_is_inferred_and_flagged():
    html = table(*PARTS, ("1.1. Một", "3</p><p>1"), ("□ Có", "3"), *PARTS_BC)
    blocks = html_blocks(html)  # the maximum cell holds two paragraphs, "3" and "1"
    data = parse_sheet(blocks[0], number_=1, title="T", header=[], index_title="")
    c = criterion(data, "1.1")
    assert c["max_points"] == 3 and c["max_points_text"] == "3 1" and c["review"]
    assert data["review"]  # no "Hồ sơ bị loại khi" header given


def test_applicability_points_at_the_story_criterion():
    data = sheet(
        *PARTS,
        ("1.1. Một", "3"),
        ("□ Có", "3"),
        ("Phần B: TIẾP THỊ (3 Điểm)", "3"),
        ("5. CÂU CHUYỆN SẢN PHẨM", "3"),
        ("5.1. Câu chuyện sản phẩm", "1"),
        ("□ Không có câu chuyện sản phẩm", "0"),
        ("□ Có câu chuyện sản phẩm", "1"),
        ("5.2. Cấu trúc câu chuyện sản phẩm", "2"),
        ("Chỉ áp dụng khi có câu chuyện sản phẩm", ""),
        ("□ Đơn giản", "1"),
        ("□ Hay", "2"),
        ("Phần C: CHẤT LƯỢNG (0 Điểm)", "0"),
        ("TỔNG CỘNG", "6"),
    )
    assert criterion(data, "5.2")["applies_when"] == {
        "criterion": "5.1",
        "min_option": 2,
        "text": "Chỉ áp dụng khi có câu chuyện sản phẩm",
    }
    assert criterion(data, "5.2")["notes"] == []


def test_structural_errors_raise_parse_error():
    with pytest.raises(ParseError, match="outside any criterion"):
        sheet(("Phần A: X (1 Điểm)", "1"), ("□ Có", "1"))
    with pytest.raises(ParseError, match="unexpected row"):
        sheet(("Phần A: X (1 Điểm)", "1"), ("Chữ lạ", ""))


def test_parsing_the_transcript_gives_the_committed_file():
    data = parse_decision(SOURCE.read_text(encoding="utf-8"), source_name=SOURCE.name)
    committed = json.loads(QD26_FILE.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(data, default=str)) == committed


def test_parse_criteria_command_writes_the_file(tmp_path):
    out = tmp_path / "qd26.json"
    call_command("parse_criteria", "--source", str(SOURCE), "--out", str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        QD26_FILE.read_text(encoding="utf-8")
    )
