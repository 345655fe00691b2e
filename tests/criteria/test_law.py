"""Legal fidelity of QĐ 26/2026: errata as data, and the knock-outs the text makes automatic.

The data file stays as printed; `qd26-2026.errata.json` says where the loader uses another value
(`corrected`: the arithmetic proves it) or keeps the print for the council to review (`queried`).
Every knock-out sentence of the sheets is stored as data: declared by a member when it is about a
fact (an infringement, hazardous impurities), applied by the engine when the text ties it to an
option or to the points.
"""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Max

from apps.criteria import engine
from apps.criteria.loading import CriteriaDataError, criteria_load, errata_file
from apps.criteria.models import Option, Section, Sheet
from apps.criteria.parsing import Table, fold, html_blocks
from apps.criteria.selectors import sheet_get
from apps.criteria.services import sheet_evaluate

from .conftest import QD26_FILE, QD26_SLUG

pytestmark = pytest.mark.django_db

SHEETS = range(1, 27)
PART_MAX = {"A": Decimal(40), "B": Decimal(25), "C": Decimal(35)}
SOURCE = QD26_FILE.parent / "source" / "qd-26-2026-QD-TTg.html"

# --- errata ----------------------------------------------------------------------------------

ERRATA = {
    # (sheet, part, criterion, option, field): (printed, used, status)
    (4, None, "7", 3, "points"): (13, 3, "corrected"),
    (11, None, "6.1.1", 2, "points"): (11, 1, "corrected"),
    (23, None, "9", None, "max_points"): ("4 1", 4, "corrected"),
    (7, None, "3.1", 2, "points"): (1, 1, "queried"),
    (23, None, "6.2", 2, "points"): (1, 1, "queried"),
    (26, "A", None, None, "max_points"): (35, 35, "queried"),
}


def best_choices(sheet: Sheet) -> dict[str, int]:
    choices = {}
    for criterion in sheet.criteria.annotate(best=Max("options__points")):
        choices[criterion.code] = max(
            o.number for o in criterion.options.all() if o.points == criterion.best
        )
    return choices


def test_the_errata_file_lists_the_known_corrections_and_queries(qd26_errata):
    entries = {
        (e["sheet"], e["part"], e["criterion"], e["option"], e["field"]): (
            e["printed"],
            e["used"],
            e["status"],
        )
        for e in qd26_errata["entries"]
    }
    assert entries == ERRATA
    assert all(e["proof"].strip() for e in qd26_errata["entries"])


def test_the_data_file_stays_as_printed(qd26_data):
    sheets = {s["number"]: s for s in qd26_data["sheets"]}
    for (number, part, code, option, field), (printed, _, _) in ERRATA.items():
        if part is not None:
            assert next(p for p in sheets[number]["parts"] if p["part"] == part)[field] == printed
            continue
        criterion = next(c for c in sheets[number]["criteria"] if c["code"] == code)
        if option is None:
            assert criterion["max_points_text"] == printed
        else:
            assert criterion["options"][option - 1][field] == printed


def test_the_loader_applies_the_errata_and_keeps_the_print_beside_them(qd26):
    nutrition = Option.objects.get(criterion__sheet__number=4, criterion__code="7", number=3)
    assert nutrition.points == 3
    assert nutrition.errata == [
        {
            "field": "points",
            "printed": 13,
            "used": 3,
            "status": "corrected",
            "proof": nutrition.errata[0]["proof"],
        }
    ]
    assert nutrition.errata_notes[0].startswith(
        "in bản gốc: 13; áp dụng: 3, vì Phần C phải đủ 35 điểm"
    )
    queried = Option.objects.get(criterion__sheet__number=7, criterion__code="3.1", number=2)
    assert queried.points == 1 and queried.errata[0]["status"] == "queried"
    assert "giữ như bản in" in queried.errata_notes[0]
    part_a = qd26.sheets.get(number=26).parts.get(part="A")
    assert part_a.max_points == 35 and part_a.errata[0]["status"] == "queried"


@pytest.mark.parametrize("number", SHEETS)
def test_every_sheet_totals_40_25_35_after_errata(qd26, number):
    sheet = qd26.sheets.get(number=number)
    for part, total in PART_MAX.items():
        criteria = sheet.criteria.filter(part=part).annotate(best=Max("options__points"))
        assert sum(c.max_points for c in criteria) == total, (number, part)
        assert sum(c.best for c in criteria) == total, (number, part)


@pytest.mark.parametrize("number", SHEETS)
def test_every_sheet_evaluates_to_100_with_its_best_options(qd26, number):
    sheet = sheet_get(slug=QD26_SLUG, number=number)
    result = sheet_evaluate(sheet=sheet, scorecards=[engine.Scorecard(best_choices(sheet))])
    assert result.total == Decimal("100.00") and result.star == 5
    assert result.parts == {p: v.quantize(Decimal("0.01")) for p, v in PART_MAX.items()}
    assert not result.rejected and not result.missing and not result.unmet_minimums


def _proven_values(criterion: dict, option: int | None, others: Decimal, part: str) -> set:
    """Every value the arithmetic allows for the erratum's value, all else as printed:
    the criteria of the part add up to its legal total, the best option equals the maximum,
    and the options of a case score strictly more in printed order."""
    maximum = PART_MAX[part] - others
    if option is None:  # the criterion's maximum itself
        best = max(Decimal(o["points"]) for o in criterion["options"])
        return {maximum} if best == maximum else set()
    if Decimal(criterion["max_points"]) != maximum:
        return set()
    allowed = set()
    for value in range(int(maximum) + 1):
        points = [
            Decimal(value) if o["number"] == option else Decimal(o["points"])
            for o in criterion["options"]
        ]
        increasing = all(a < b for a, b in zip(points, points[1:], strict=False))
        if increasing and max(points) == maximum:
            allowed.add(Decimal(value))
    return allowed


def test_each_corrected_erratum_is_the_one_value_the_sum_proves(qd26_data, qd26_errata):
    sheets = {s["number"]: s for s in qd26_data["sheets"]}
    corrected = [e for e in qd26_errata["entries"] if e["status"] == "corrected"]
    assert corrected
    for entry in corrected:
        sheet = sheets[entry["sheet"]]
        criterion = next(c for c in sheet["criteria"] if c["code"] == entry["criterion"])
        others = sum(
            Decimal(c["max_points"])
            for c in sheet["criteria"]
            if c["part"] == criterion["part"] and c is not criterion
        )
        proven = _proven_values(criterion, entry["option"], others, criterion["part"])
        assert proven == {Decimal(entry["used"])}, entry
        if entry["option"] is not None:
            assert Decimal(entry["printed"]) not in proven, entry


def test_each_queried_erratum_is_one_the_sum_cannot_decide(qd26_data, qd26_errata):
    """Kept as printed: the totals hold either way, so only the official copy can settle it."""
    sheets = {s["number"]: s for s in qd26_data["sheets"]}
    for entry in (e for e in qd26_errata["entries"] if e["status"] == "queried"):
        assert entry["used"] == entry["printed"]
        sheet = sheets[entry["sheet"]]
        if entry["part"] is not None:  # sheet 26's heading: the criteria alone make 40
            total = sum(Decimal(c["max_points"]) for c in sheet["criteria"] if c["part"] == "A")
            assert total == PART_MAX["A"] != entry["printed"]
            continue
        criterion = next(c for c in sheet["criteria"] if c["code"] == entry["criterion"])
        best = max(Decimal(o["points"]) for o in criterion["options"])
        assert best == Decimal(criterion["max_points"]) > Decimal(entry["printed"])


# --- errata: the loader refuses errata that do not fit the data ------------------------------


def _edit_entry(index: int, **changes):
    def edit(errata):
        errata["entries"][index].update(changes)

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_edit_entry(0, printed=12), r"entry 1 \(sheet 4, criterion 7, option 3\): 'printed' is"),
        (_edit_entry(3, used=2), "a queried value is kept as printed"),
        (_edit_entry(0, used=13), "a corrected value must differ from the printed one"),
        (_edit_entry(0, criterion="99"), "sheet 4 has no criterion '99'"),
        (_edit_entry(0, status="fixed"), "'status' must be one of"),
        (_edit_entry(0, proof=""), "'proof' must be a non-empty string"),
        (lambda errata: errata.update(criteria_set="QD1/2000"), "'criteria_set' must be"),
        (
            lambda errata: errata["entries"].append(dict(errata["entries"][0])),
            "a second erratum for the same value",
        ),
    ],
)
def test_errata_that_do_not_fit_the_data_stop_the_load(data_copy, edit, message):
    path = data_copy(edit_errata=edit)
    with pytest.raises(CriteriaDataError, match=message):
        criteria_load(paths=[path])


def test_an_errata_file_is_not_loaded_alone(data_copy):
    with pytest.raises(CriteriaDataError, match="applied with its data file"):
        criteria_load(paths=[errata_file(data_copy())])


def test_a_changed_erratum_needs_replace_on_a_published_set(qd26, data_copy):
    path = data_copy(code="QD26/2026", edit_errata=_edit_entry(0, proof="một lý do khác"))
    with pytest.raises(CriteriaDataError, match=r"would change \(errata\)"):
        criteria_load(paths=[path])
    criteria_load(paths=[path], replace=True)
    option = Option.objects.get(criterion__sheet__number=4, criterion__code="7", number=3)
    assert option.errata[0]["proof"] == "một lý do khác"


# --- knock-outs ------------------------------------------------------------------------------

IP_NOTE = "Ghi chú: Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ"
ZERO_NOTE = (
    "Ghi chú: Nếu được 0 điểm tại một trong các chỉ tiêu trên, sẽ không đánh giá các bước "
    "tiếp theo."
)
COSMETICS_NOTE = (
    "Ghi chú: Không đánh giá các bước tiếp theo nếu không có Phiếu công bố sản phẩm mỹ phẩm "
    "theo quy định"
)

# Every knock-out a council member declares, by sheet: a fact the options cannot express.
DECLARED = {
    1: {"2.1", "6.1"},
    2: {"2.1", "6.1"},
    3: {"2.1", "6.1"},
    4: {"2.1", "6.1"},
    5: {"2.1", "6.1"},
    6: {"2.1", "6.1"},
    7: {"1.1", "2.1", "6.1"},
    8: {"1.1", "2.1", "6.1"},
    9: {"1.1", "2.1", "6.1"},
    10: {"1.1", "2.1", "6.1"},
    11: {"1.1", "2.1", "6.1.1"},
    12: {"1.1", "2.1", "6.1"},
    13: {"1.1", "2.1", "6.1.1"},
    14: {"1.1", "2.1"},
    15: {"1.1", "6.1"},
    17: {"6.1"},
    18: {"1.1"},
    19: {"1.1"},
    20: {"1.1", "6"},  # its criterion 6 prints no "Không có …" option: the absence is declared
    21: {"6.2"},
    22: {"6.2"},
}
# Every knock-out the engine applies by itself: (sheet, criterion, option) → the sentence.
AUTOMATIC = {
    (16, "6.1", 1): ZERO_NOTE,
    (16, "6.2", 1): ZERO_NOTE,
    (16, "6.3", 1): ZERO_NOTE,
    (16, "6.4", 1): ZERO_NOTE,
    (19, "6", 1): COSMETICS_NOTE,
}


def rank(number: int, knockouts=(), **changes: int) -> engine.RankingResult:
    sheet = sheet_get(slug=QD26_SLUG, number=number)
    choices = {**best_choices(sheet), **{k.replace("_", "."): v for k, v in changes.items()}}
    return sheet_evaluate(
        sheet=sheet, scorecards=[engine.Scorecard(choices, knockouts=tuple(knockouts))]
    )


def test_the_knockouts_are_stored_as_data(qd26):
    declared: dict[int, set[str]] = {}
    for number, code in qd26.sheets.filter(criteria__knockout=True).values_list(
        "number", "criteria__code"
    ):
        declared.setdefault(number, set()).add(code)
    assert declared == DECLARED
    automatic = {
        (o.criterion.sheet.number, o.criterion.code, o.number): o.knockout_rule
        for o in Option.objects.filter(criterion__sheet__criteria_set=qd26)
        .exclude(knockout_rule="")
        .select_related("criterion__sheet")
    }
    assert automatic == AUTOMATIC
    sections = Section.objects.filter(sheet__criteria_set=qd26).exclude(knockout_when="")
    assert [
        (s.sheet.number, s.number, s.knockout_when, s.knockout_rule_text) for s in sections
    ] == [(16, 6, "zero_points", ZERO_NOTE)]


@pytest.mark.parametrize("number", [21, 22])
def test_an_ip_infringement_declared_on_6_2_rejects_and_option_3_reads_as_printed(qd26, number):
    """ "Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ": a note of criterion 6.2, no longer
    glued to option 3, and declarable on 6.2."""
    criterion = qd26.sheets.get(number=number).criteria.get(code="6.2")
    assert criterion.knockout and criterion.knockout_note == IP_NOTE
    assert IP_NOTE in criterion.notes
    assert criterion.options.get(number=3).text == (
        "Phong cách độc đáo riêng, thể hiện trí tuệ địa phương"
    )
    assert rank(number).star == 5
    result = rank(number, knockouts=["6.2"])
    assert result.rejected and result.rejected_by == ("6.2",) and result.star is None


@pytest.mark.parametrize("code", ["6.1", "6.2", "6.3", "6.4"])
def test_sheet_16_zero_points_in_section_6_stops_the_evaluation(qd26, code):
    """ "Nếu được 0 điểm tại một trong các chỉ tiêu trên, sẽ không đánh giá các bước tiếp
    theo.": no box to tick, the 0-point choice rejects."""
    section = qd26.sheets.get(number=16).sections.get(number=6)
    assert section.knockout_rule_text == ZERO_NOTE and ZERO_NOTE in section.notes
    result = rank(16, **{code: 1})
    assert result.rejected and result.rejected_by == (code,) and result.star is None
    assert result.members[0].knockouts == (code,)
    # any other choice of the criterion does not reject
    assert not rank(16, **{code: 2}).rejected


def test_sheet_19_no_cosmetics_declaration_stops_the_evaluation(qd26):
    """ "Không đánh giá các bước tiếp theo nếu không có Phiếu công bố sản phẩm mỹ phẩm theo quy
    định": option 1 ("Không có hồ sơ công bố tiêu chuẩn sản phẩm") rejects by itself."""
    criterion = qd26.sheets.get(number=19).criteria.get(code="6")
    assert COSMETICS_NOTE in criterion.notes and not criterion.knockout
    assert criterion.options.get(number=1).text == "Không có hồ sơ công bố tiêu chuẩn sản phẩm"
    result = rank(19, **{"6": 1})
    assert result.rejected and result.rejected_by == ("6",) and result.star is None
    assert not rank(19, **{"6": 2}).rejected


@pytest.mark.parametrize(
    ("number", "code"), [(n, c) for n, codes in sorted(DECLARED.items()) for c in sorted(codes)]
)
def test_every_declared_knockout_rejects(qd26, number, code):
    criterion = qd26.sheets.get(number=number).criteria.get(code=code)
    assert criterion.knockout_note and all(
        note in criterion.notes or note in _section_notes(criterion)
        for note in criterion.knockout_note.split("\n")
    )
    result = rank(number, knockouts=[code])
    assert result.rejected_by == (code,) and result.star is None


def _section_notes(criterion) -> list[str]:
    return criterion.section.notes


# The wording of a stop in the sheets: "bị loại", "loại bỏ", "không đánh giá", "không xem xét",
# "dừng đánh giá", "không đánh giá tiếp", "không tiếp tục đánh giá".
STOP_RE = re.compile(
    r"bị loại|loại bỏ|không đánh giá|không xem xét|dừng đánh giá|không tiếp tục", re.IGNORECASE
)


def _transcript_stop_sentences() -> dict[int, set[str]]:
    """Every paragraph of a criteria table that stops an evaluation, by sheet number."""
    blocks = html_blocks(Path(SOURCE).read_text(encoding="utf-8"))
    found: dict[int, set[str]] = {}
    number = 0
    for block in blocks:
        if not isinstance(block, Table) or not block.rows:
            continue
        if fold(block.rows[0][0].text) != fold("Các tiêu chí"):
            continue
        number += 1
        for row in block.rows[1:]:
            for paragraph in row[0].paragraphs:
                text = re.sub(r"\s+", " ", paragraph).strip()
                if STOP_RE.search(text) and not text.startswith("□"):
                    found.setdefault(number, set()).add(text)
    return found


def test_every_stop_sentence_of_the_transcript_is_a_stored_rule(qd26):
    """The whole transcript, scanned once more: each stop sentence of a criteria table is a
    declared knock-out note, a section rule or an option rule of its sheet."""
    sentences = _transcript_stop_sentences()
    assert sorted(sentences) == [n for n in SHEETS if n not in (23, 24, 25, 26)]
    for number, texts in sentences.items():
        sheet = qd26.sheets.get(number=number)
        stored = set()
        for note in sheet.criteria.exclude(knockout_note="").values_list(
            "knockout_note", flat=True
        ):
            stored.update(note.split("\n"))
        stored.update(
            sheet.sections.exclude(knockout_when="").values_list("knockout_rule_text", flat=True)
        )
        stored.update(
            Option.objects.filter(criterion__sheet=sheet)
            .exclude(knockout_rule="")
            .values_list("knockout_rule", flat=True)
        )
        assert texts <= stored, (number, texts - stored)


def test_the_committed_data_has_the_rules_the_parser_finds(qd26_data):
    sheets = {s["number"]: s for s in qd26_data["sheets"]}
    section = next(s for s in sheets[16]["sections"] if s["number"] == 6)
    assert section["knockout_rule"] == {"when": "zero_points", "text": ZERO_NOTE}
    declaration = next(c for c in sheets[19]["criteria"] if c["code"] == "6")
    assert declaration["options"][0]["knockout_rule"] == {"when": "chosen", "text": COSMETICS_NOTE}
    assert json.dumps(qd26_data, default=str).count('"when": "chosen"') == 1
