"""Forms of the provincial office's pages (views_office.py): they only parse HTTP input and offer
the choices the selectors give; `services.round_create`, `council_create` and
`assignment_create` check role, jurisdiction and the law again, and their refusals show on the
page."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.parsing import AsciiIntegerFormField

from .choices import FLAGGED_KINDS, MemberRole

# Dates are shown and typed dd/mm/yyyy whatever the browser's language (a date picker would show
# the browser's own order); an ISO date is read too.
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DEFAULT_CRITERIA_SET = "QD26/2026"

MINIMUM_RULES = [
    ("majority", _("Met when more than half of the scoring members meet it")),
    ("all", _("Met only when every scoring member meets it")),
    ("any", _("Met when any scoring member meets it")),
]
KNOCKOUT_RULES = [
    ("majority", _("Rejects when more than half of the scoring members record it")),
    ("any", _("Rejects when any scoring member records it")),
]


def _date_field(label, help_text) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
        ),
        input_formats=DATE_FORMATS,
    )


class RoundForm(forms.Form):
    """A round of the province's plan (QĐ 26/2026 Đ5.1). Dates left empty come from the plan."""

    year = AsciiIntegerFormField(label=_("Year"), min_value=2019, max_value=2100)
    number = AsciiIntegerFormField(label=_("Round number in the year"), min_value=1, max_value=12)
    proposal_deadline = _date_field(
        _("Takes the dossiers proposed before"),
        _("The commune's proposals made before this day (not on it). Empty: the plan's date."),
    )
    evaluation_deadline = _date_field(
        _("Evaluation finished by"), _("Empty: the plan's date (two months after the cut-off).")
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "year": data["year"],
            "number": data["number"],
            "proposal_deadline": data["proposal_deadline"],
            "evaluation_deadline": data["evaluation_deadline"],
        }


class CouncilForm(forms.Form):
    """A council of one of the province's open rounds: its members (each with a seat: exactly
    one chair), its advisory team and its Quy chế settings. Members and advisers are chosen
    among the accounts the page offers; a ticked member gets the seat of their `role_<id>`
    select (a member when left empty) and the organisation typed beside it."""

    name = forms.CharField(label=_("Council name"), max_length=255)
    round = forms.TypedChoiceField(label=_("Round"), coerce=int)
    criteria_set = forms.ChoiceField(
        label=_("Criteria set"),
        help_text=_("The council's process regime is the criteria set's."),
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Members"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose the council's members."),
            "invalid_choice": _(
                "Account %(value)s is not a council-member account of your province."
            ),
        },
    )
    advisors = forms.TypedMultipleChoiceField(
        label=_("Advisory team"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "Account %(value)s is not an advisory-team account of your province."
            ),
        },
    )
    quorum_percent = AsciiIntegerFormField(
        label=_("Quorum (percentage of the members without a conflict)"),
        min_value=1,
        max_value=100,
        initial=75,
    )
    spread_threshold = forms.DecimalField(
        label=_("Spread threshold (points)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("10"),
        help_text=_("Members' totals differing by more than this are discussed and re-scored."),
    )
    minimum_rule = forms.ChoiceField(
        label=_("A criterion's minimum for a star"), choices=MINIMUM_RULES, initial="majority"
    )
    knockout_rule = forms.ChoiceField(
        label=_("A knock-out"), choices=KNOCKOUT_RULES, initial="majority"
    )
    reveal_after_submit = forms.BooleanField(
        label=_("Members see others' scores only after submitting their own"),
        required=False,
        initial=True,
    )
    advisory_report_required = forms.BooleanField(
        label=_("Members submit their scores only after the advisory team's report"),
        required=False,
        initial=True,
    )
    conflict_rules = forms.MultipleChoiceField(
        label=_("Conflicts of interest flagged automatically"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(kind.value, kind.label) for kind in FLAGGED_KINDS],
        initial=[kind.value for kind in FLAGGED_KINDS],
    )

    def __init__(self, *args, rounds=(), criteria_sets=(), members=(), advisers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [
            (
                r.pk,
                _("%(round)s: proposals before %(proposals)s, evaluation by %(end)s")
                % {
                    "round": r,
                    "proposals": f"{r.proposal_deadline:%d/%m/%Y}",
                    "end": f"{r.evaluation_deadline:%d/%m/%Y}",
                },
            )
            for r in rounds
        ]
        self.fields["criteria_set"].choices = [
            (
                s.code,
                _("%(instrument)s (process regime %(regime)s)")
                % {"instrument": s.instrument_number, "regime": s.regime_code},
            )
            for s in criteria_sets
        ]
        codes = [s.code for s in criteria_sets]
        self.initial.setdefault(
            "criteria_set", DEFAULT_CRITERIA_SET if DEFAULT_CRITERIA_SET in codes else None
        )
        self.candidates = list(members)
        self.advisers = list(advisers)
        self.fields["members"].choices = [(u.pk, str(u)) for u in self.candidates]
        self.fields["advisors"].choices = [(u.pk, str(u)) for u in self.advisers]
        for user in self.candidates:
            self.fields[f"role_{user.pk}"] = forms.ChoiceField(
                label=_("Seat of %(name)s") % {"name": user},
                choices=MemberRole.choices,
                initial=MemberRole.MEMBER,
                required=False,
            )
            self.fields[f"organisation_{user.pk}"] = forms.CharField(
                label=_("Organisation of %(name)s") % {"name": user},
                max_length=255,
                required=False,
            )

    def _seats(self) -> dict[int, str]:
        data = self.cleaned_data
        return {
            uid: data.get(f"role_{uid}") or MemberRole.MEMBER for uid in data.get("members") or ()
        }

    def clean(self):
        data = super().clean()
        seats = self._seats()
        if seats and list(seats.values()).count(MemberRole.CHAIR) != 1:
            self.add_error("members", _("Choose exactly one chair among the members."))
        return data

    def member_rows(self) -> list[dict]:
        """Each council-member account offered, with whether it is ticked and its seat fields."""
        ticked = {str(v) for v in (self["members"].value() or [])}
        return [
            {
                "user": user,
                "checked": str(user.pk) in ticked,
                "role": self[f"role_{user.pk}"],
                "organisation": self[f"organisation_{user.pk}"],
            }
            for user in self.candidates
        ]

    def adviser_rows(self) -> list[dict]:
        ticked = {str(v) for v in (self["advisors"].value() or [])}
        return [{"user": user, "checked": str(user.pk) in ticked} for user in self.advisers]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        seats = self._seats()
        return {
            "round_id": data["round"],
            "name": data["name"],
            "criteria_set_code": data["criteria_set"],
            "members": [
                {
                    "user": uid,
                    "role": role,
                    "organisation": data.get(f"organisation_{uid}", "").strip(),
                }
                for uid, role in seats.items()
            ],
            "advisors": list(data["advisors"]),
            "quorum": Decimal(data["quorum_percent"]) / 100,
            "spread_threshold": data["spread_threshold"],
            "minimum_rule": data["minimum_rule"],
            "knockout_rule": data["knockout_rule"],
            "reveal_after_submit": data["reveal_after_submit"],
            "advisory_report_required": data["advisory_report_required"],
            "conflict_rules": list(data["conflict_rules"]),
        }


class AssignForm(forms.Form):
    """The dossiers ticked for the council, among those the page offers."""

    dossiers = forms.TypedMultipleChoiceField(
        label=_("Dossiers to assign"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one dossier."),
            "invalid_choice": _(
                "Dossier %(value)s is not among the dossiers waiting for a council."
            ),
        },
    )

    def __init__(self, *args, dossier_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].choices = [(i, i) for i in dossier_ids]

    def ticked(self) -> set[str]:
        return {str(v) for v in (self["dossiers"].value() or [])} if self.is_bound else set()
