"""The producer's pages: my dossiers, the dossier wizard with its progress, and the timeline."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError
from apps.core.parsing import AsciiIntegerFormField, parse_ascii_int
from apps.criteria import engine
from apps.criteria.selectors import sheet_get
from apps.criteria.services import sheet_evaluate
from apps.products.selectors import product_list

from . import selectors, services
from .choices import EDITABLE, Action, AnnexType, DossierKind
from .forms_schema import FORM01_FIELDS, FORM02_FIELDS, form_errors

STEPS = (
    ("form01", gettext_lazy("Form 01: registration")),
    ("form02", gettext_lazy("Form 02: report")),
    ("criteria", gettext_lazy("Self-assessment on the criteria")),
    ("files", gettext_lazy("Evidence files")),
    ("review", gettext_lazy("Check and submit")),
)


def _producer_only(request):
    if request.user.role != Role.PRODUCER:
        raise Http404(_("This page is for producers."))


@dataclass
class Progress:
    form01: bool
    form02: bool
    criteria: bool
    files: bool
    missing: tuple[str, ...]
    result: engine.RankingResult

    @property
    def done(self) -> int:
        return sum((self.form01, self.form02, self.criteria, self.files))

    @property
    def ready(self) -> bool:
        return self.form01 and self.form02 and self.criteria


def _progress(dossier) -> Progress:
    choices = {a.criterion_code: a.option_number for a in dossier.self_assessment.all()}
    result = sheet_evaluate(sheet=dossier.sheet, scorecards=[engine.Scorecard(choices=choices)])
    return Progress(
        form01=not form_errors(FORM01_FIELDS, dossier.form01, complete=True),
        form02=not form_errors(FORM02_FIELDS, dossier.form02, complete=True),
        criteria=not result.missing,
        files=any(f.is_current for f in dossier.files.all()),
        missing=result.missing,
        result=result,
    )


@login_required
def my_dossiers(request):
    """The producer's products, each with its dossiers and what can be started."""
    if request.user.role != Role.PRODUCER:
        return redirect("dossiers:inbox")
    products = list(product_list(user=request.user).prefetch_related("dossiers"))
    return render(
        request, "dossiers/producer/mine.html", {"products": products, "kinds": DossierKind.choices}
    )


@login_required
@require_POST
def dossier_new(request, product_id: int):
    _producer_only(request)
    product = product_list(user=request.user).filter(pk=product_id).first()
    if product is None:
        raise Http404
    try:
        dossier = services.dossier_create(
            product=product, kind=request.POST.get("kind", DossierKind.FIRST), actor=request.user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dossiers:mine")
    messages.success(
        request, _("Dossier opened. Fill in the steps below; your work is saved as you go.")
    )
    if dossier.filing_window:
        opens, closes = dossier.filing_window
        messages.info(
            request,
            _("A re-evaluation is filed with the commune from %(opens)s to %(closes)s.")
            % {"opens": f"{opens:%d/%m/%Y}", "closes": f"{closes:%d/%m/%Y}"},
        )
    return redirect("dossiers:edit", dossier_id=dossier.pk, step="form01")


def _get(request, dossier_id: int):
    try:
        return selectors.dossier_get(user=request.user, dossier_id=dossier_id)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc


@login_required
@require_http_methods(["GET", "POST"])
def dossier_detail(request, dossier_id: int):
    """The dossier's summary, progress and timeline; POST submits it."""
    dossier = _get(request, dossier_id)
    if request.user.role != Role.PRODUCER:
        return redirect("dossiers:review", dossier_id=dossier.pk)
    if request.method == "POST":
        try:
            services.dossier_transition(
                dossier_id=dossier.pk, action=Action.SUBMIT, actor=request.user
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("dossiers:edit", dossier_id=dossier.pk, step="review")
        messages.success(request, _("The dossier has been submitted."))
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    return render(
        request,
        "dossiers/producer/detail.html",
        {
            "dossier": dossier,
            "progress": _progress(dossier),
            "steps": STEPS,
            "editable": dossier.status in EDITABLE,
            "council_result": selectors.latest_council_result(dossier),
        },
    )


def _fields_form(fields, data=None, initial=None):
    form = forms.Form(data=data, initial=initial)
    for f in fields:
        widget = forms.Textarea(attrs={"rows": 4}) if f.multiline else forms.TextInput()
        form.fields[f.key] = forms.CharField(
            label=f.label, required=False, max_length=f.max_length, widget=widget
        )
        form.fields[f.key].is_required_for_submit = f.required
    return form


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (PDF, JPEG, PNG, DOCX, XLSX)"))
    annex_type = forms.ChoiceField(label=gettext_lazy("Annex type"), choices=AnnexType.choices)
    criterion_code = forms.CharField(
        label=gettext_lazy("Criterion (optional)"), required=False, max_length=16
    )
    title = forms.CharField(label=gettext_lazy("Title"), required=False, max_length=200)
    replaces = AsciiIntegerFormField(required=False, min_value=1, widget=forms.HiddenInput())


@login_required
@require_http_methods(["GET", "POST"])
def dossier_edit(request, dossier_id: int, step: str):
    """One step of the wizard. Each step saves on its own; nothing typed is lost on an error."""
    _producer_only(request)
    if step not in dict(STEPS):
        raise Http404
    dossier = _get(request, dossier_id)
    if dossier.status not in EDITABLE:
        messages.info(request, _("This dossier is no longer editable."))
        return redirect("dossiers:detail", dossier_id=dossier.pk)
    outcome = _STEP_HANDLERS[step](request, dossier, step)
    if isinstance(outcome, HttpResponseBase):  # saved: on to the next step
        return outcome
    extra, status = outcome
    context = {"dossier": dossier, "steps": STEPS, "step": step, **extra}
    context["progress"] = _progress(selectors.dossier_get(user=request.user, dossier_id=dossier.pk))
    return render(request, f"dossiers/producer/step_{step}.html", context, status=status)


def _step_fields(request, dossier, step: str):
    """Mẫu 01 or Mẫu 02: the form's fields, saved together."""
    fields = FORM01_FIELDS if step == "form01" else FORM02_FIELDS
    stored = dossier.form01 if step == "form01" else dossier.form02
    form = _fields_form(fields, data=request.POST or None, initial=stored)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_forms_update(
                dossier_id=dossier.pk,
                actor=request.user,
                **{step: {k: v for k, v in form.cleaned_data.items()}},
            )
            messages.success(request, _("Saved."))
            return redirect("dossiers:edit", dossier_id=dossier.pk, step=_next(step))
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    return {"form": form}, 400 if request.method == "POST" else 200


def _step_criteria(request, dossier, step: str):
    """The self-assessment on the criteria sheet (Mẫu 02 part III)."""
    status = 200
    if request.method == "POST":
        try:
            # ASCII digits only (str.isdigit() lets "²" reach int()); empty = unanswered
            choices = {
                k[len("c:") :]: parse_ascii_int(v, field=k, minimum=0, maximum=1000)
                for k, v in request.POST.items()
                if k.startswith("c:") and v.strip()
            }
            services.dossier_self_assess(dossier_id=dossier.pk, actor=request.user, choices=choices)
            messages.success(request, _("Saved."))
            return redirect("dossiers:edit", dossier_id=dossier.pk, step="files")
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = 400
    sheet = sheet_get(slug=dossier.sheet.criteria_set.slug, number=dossier.sheet.number)
    return {
        "sheet": sheet,
        "chosen": {a.criterion_code: a.option_number for a in dossier.self_assessment.all()},
        "files_by_criterion": _files_by_criterion(dossier),
    }, status


def _step_files(request, dossier, step: str):
    """Evidence files, each optionally attached to a criterion."""
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"criterion_code": request.GET.get("criterion", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_upload(
                dossier_id=dossier.pk,
                actor=request.user,
                file=form.cleaned_data["file"],
                annex_type=form.cleaned_data["annex_type"],
                criterion_code=form.cleaned_data["criterion_code"],
                title=form.cleaned_data["title"],
                replaces_id=form.cleaned_data["replaces"],
            )
            messages.success(request, _("File uploaded."))
            return redirect("dossiers:edit", dossier_id=dossier.pk, step="files")
        except ApplicationError as exc:
            form.add_error(
                exc.extra.get("key") if exc.extra.get("key") in form.fields else None,
                exc.message,
            )
    status = 400 if request.method == "POST" else 200
    return {"form": form, "files": list(dossier.files.all())}, status


def _step_review(request, dossier, step: str):
    """Check and submit: the page shows the dossier; submitting goes through the detail page."""
    return {}, 200


_STEP_HANDLERS = {
    "form01": _step_fields,
    "form02": _step_fields,
    "criteria": _step_criteria,
    "files": _step_files,
    "review": _step_review,
}


def _next(step: str) -> str:
    keys = [k for k, _label in STEPS]
    return keys[min(keys.index(step) + 1, len(keys) - 1)]


def _files_by_criterion(dossier) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for f in dossier.files.all():
        if f.criterion_code and f.is_current:
            grouped.setdefault(f.criterion_code, []).append(f)
    return grouped
