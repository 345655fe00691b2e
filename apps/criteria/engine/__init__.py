"""OCOP ranking engine (pure Python, no Django).

Turns a criteria sheet (:class:`SheetSpec`) and the scorecards filled in by a
council (or a single self-assessment) into a :class:`RankingResult`: the
published mean score, the star, and every reason the star is lower than the
score alone would give.  Nothing here touches the database; the Django side
builds a ``SheetSpec`` from the stored criteria set and stores the result.

Rules implemented
=================

Fixed by the decision (QĐ 26/2026/QĐ-TTg), not configurable
-----------------------------------------------------------

1. **Scoring.**  Each criterion is a single choice among its printed options;
   a scorecard's total is the sum of the chosen options' points, split into
   parts A (max 40), B (max 25) and C (max 35).  A sheet is validated before
   use (:class:`InvalidSheet`): codes unique, parts A/B/C, options numbered
   1..n in printed order, every option's points within ``[0, max_points]``,
   and the ``max_points`` of each part summing to at most its cap.  Hence
   every total is within ``[0, 100]``.

2. **Applicability.**  A criterion with ``applies_when`` (e.g. 5.2 "Chỉ áp
   dụng khi có câu chuyện sản phẩm") applies only when the criterion it
   depends on was answered with an option number ``>= min_option``.  A
   criterion that does not apply contributes 0 points, has no minimums, is not
   "missing", and choosing an option for it is an error
   (``not_applicable``).  If the criterion it depends on was not answered (or
   is itself undecided), applicability cannot be decided: the dependent
   criterion is reported *missing* and contributes nothing, even if a choice
   was recorded for it.  If the dependency itself does not apply, neither
   does the dependent.

3. **Completeness.**  An applicable criterion without a choice is *missing*.
   Missing criteria count 0 points and do not meet any minimum, and a result
   with any member's scorecard incomplete has ``star = None``.

4. **Star bands** on the council mean, half-open: ``<30`` 1★, ``[30,50)`` 2★,
   ``[50,70)`` 3★, ``[70,90)`` 4★, ``[90,100]`` 5★ (:func:`band_star`).  The
   band is taken from the *published* mean, i.e. after rounding to 2 decimals
   (rule 9), so the number a province prints and the star always agree
   (a mean of 69.995 is published as 70.00 and is 4★).

5. **Minimum-star markers.**  An option marked 3/4/5★ is the minimum that
   criterion must reach for the product to be ranked that many stars.  The
   law states the minimums but no formula; this engine reads them as
   *cumulative*: to reach level ``s`` a criterion must meet the strongest
   (highest-points) marker among its markers with star ``<= s`` (a 3★ marker
   therefore still binds at 4★ and 5★).  A minimum is met when the chosen
   option's points are ``>=`` the marked option's points (points, not option
   numbers, because options may repeat points).  Levels 1 and 2 have no
   minimums, so the highest attainable level (``min_star_met``) is at least
   2.  The final star is ``min(band_star, min_star_met)``.

6. **Knock-outs.**  Two kinds, both rejecting the product (``star = None``):

   * *declared*: a criterion with ``knockout=True`` carries a "bị loại" note
     tied to a fact the options cannot express (an intellectual-property
     infringement, hazardous impurities, a copied product); a member records
     it in ``Scorecard.knockouts``.  :data:`DOSSIER_KNOCKOUT` stands for the
     whole-dossier disqualifiers ("Hồ sơ bị loại khi ...").  Recording a
     knock-out on a criterion that does not apply to that member is accepted:
     a knock-out is a finding about the product, not a score.
   * *automatic*: an option with ``rejects=True`` (the text ties the stop to
     that choice: "0 điểm" in sheet 16 section 6, "không có Phiếu công bố" in
     sheet 19 criterion 6).  Choosing it, where the criterion applies, counts
     exactly as if the member had recorded a knock-out on that criterion: it
     is listed in the member's ``knockouts`` and weighed by the knock-out rule
     (rule 11) like any other.

7. **Certificate / ministry.**  ``certificate_eligible`` is ``star >= 3``
   (OCOP certificates are issued from 3★).  ``propose_to_ministry`` is
   ``total >= ministry_threshold`` (90) for a result that stands: not
   rejected, complete and quorate (``star`` is not None).  QĐ 26/2026
   Đ7.3.e proposes "các sản phẩm có tiềm năng đạt 5 sao (đạt từ 90 trở
   lên)" to the ministry, whatever their star: a product of 92 points that
   misses a 5★ minimum is still proposed, not recognised at 4★ by the
   province.  The central council's result then decides (Đ7.4.g).

Set by provincial regulations, hence configurable (:class:`CouncilRules`)
------------------------------------------------------------------------

The decision defines the sheet and the minimums but not how a council of
several members combines its scorecards; provinces regulate that, so these
are parameters:

8. **Council mean.**  ``total`` is the mean of the members' totals and
   ``parts`` the mean of each part (not configurable, but listed here because
   it is the council step).

9. **Rounding.**  Means are quantized to 0.01 with ROUND_HALF_UP, computed
   exactly (no binary floats, no intermediate rounding), because provinces
   publish two decimals.  Rounded parts need not add up to the rounded total.

10. **Minimum rule** (``minimum_rule``): the council meets a criterion's
    minimum for a level when ``"majority"`` (strictly more than half of the
    scoring members), ``"all"`` or ``"any"`` of the members' choices meet it.
    A member for whom the criterion does not apply counts as meeting it.
    ``unmet_minimums`` lists, for each level 3..5 and each criterion (star,
    then printed order), the council-level minimums that are not met.

11. **Knock-out rule** (``knockout_rule``): a knock-out key rejects the
    product when recorded by a ``"majority"`` (strictly more than half) or by
    ``"any"`` of the scoring members.  ``rejected_by`` lists the keys that
    did, :data:`DOSSIER_KNOCKOUT` first, then criteria in printed order.

12. **Quorum** (``council_size``, ``quorum``): at least
    ``ceil(council_size * quorum)`` scorecards are needed, otherwise
    ``star = None``.  ``council_size=None`` disables the check (a
    self-assessment, or a caller that checked quorum itself).

13. **Spread** (``spread_threshold``): ``spread`` is max − min of the
    members' totals (0 for one member); ``spread_exceeded`` (spread strictly
    greater than the threshold) is a flag for the secretary to ask for
    re-scoring -- it does not change the star.

The result does not depend on the order of the scorecards: members are
reported in a canonical order (by ``member`` label, then content), and every
council-level quantity is symmetric in the members.

The code, by what it does: :mod:`.specs` (the fixed numbers, the input specs and the results),
:mod:`.errors`, :mod:`.numbers` (exact arithmetic), :mod:`.stars` (bands and minimum markers),
:mod:`.validation` (the sheet and the rules), :mod:`.scoring` (one member's scorecard) and
:mod:`.ranking` (the council).  Everything public is importable from this package.
"""

from __future__ import annotations

from .errors import InvalidScorecard, InvalidSheet
from .ranking import rank
from .specs import (
    DOSSIER_KNOCKOUT,
    KNOCKOUT_RULES,
    MINIMUM_RULES,
    PART_MAX,
    PARTS,
    STAR_BANDS,
    Applicability,
    CouncilRules,
    CriterionSpec,
    MemberResult,
    OptionSpec,
    RankingResult,
    Scorecard,
    SheetSpec,
    UnmetMinimum,
)
from .stars import band_star, required_minimum
from .validation import validate_sheet

__all__ = [
    "DOSSIER_KNOCKOUT",
    "PART_MAX",
    "PARTS",
    "STAR_BANDS",
    "MINIMUM_RULES",
    "KNOCKOUT_RULES",
    "OptionSpec",
    "Applicability",
    "CriterionSpec",
    "SheetSpec",
    "Scorecard",
    "CouncilRules",
    "UnmetMinimum",
    "MemberResult",
    "RankingResult",
    "InvalidScorecard",
    "InvalidSheet",
    "band_star",
    "required_minimum",
    "validate_sheet",
    "rank",
]
