"""Decision pages: the leader's (and the ministry's) list of council results waiting for a
decision, the recognition decision itself, proposals to the ministry, closing without
recognition, and each decision with the certificates it issued.

The views only translate HTTP into selector and service calls: scope comes from
`selectors.decision_worklist/decision_get/certificate_get`, every change from `services` (which
check role, jurisdiction and the law again and raise `ApplicationError` on refusal; the page
shows its message and keeps what the user typed)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.choices import Role
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.core.files import file_response

from . import selectors, services
from .choices import PublicStatus
from .forms import SIGNER_TITLES, CloseForm, DecisionForm, ResultForm


def decision_page(view):
    """Login required (anonymous → login page). Producers get a 404: the decision list never
    exists for them. Other roles get a 403 page that says who the pages are for."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if user.role == Role.PRODUCER and not user.is_superuser:
            raise Http404(_("Not found, or outside your jurisdiction."))
        if user.role not in selectors.DECISION_PAGE_ROLES and not user.is_superuser:
            return _refused(
                request,
                _(
                    "These pages are for the provincial leader, the provincial OCOP office and "
                    "the ministry."
                ),
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "certificates/refused.html", {"message": message}, status=status)


# --- the results waiting for a decision --------------------------------------------------------
@require_http_methods(["GET", "POST"])
@decision_page
def decisions(request: HttpRequest) -> HttpResponse:
    """GET: the worklist and the decisions already made. POST `op`: `decide` (a recognition
    decision for the ticked results), `propose` (one result to the ministry) or `close` (one
    result without recognition)."""
    worklist = selectors.decision_worklist(user=request.user)
    form = DecisionForm(result_ids=[r.pk for r in worklist.recognise])
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "decide":
                form = DecisionForm(request.POST, result_ids=[r.pk for r in worklist.recognise])
                if not form.is_valid():
                    raise ApplicationError(ErrorCode.INVALID, _("Please correct the errors below."))
                decision = services.recognition_decide(actor=request.user, **form.service_kwargs())
                messages.success(
                    request,
                    _("Decision %(number)s is recorded: %(count)s certificate(s) issued.")
                    % {"number": decision.number, "count": decision.certificates.count()},
                )
                return redirect("certificates:decision", decision_id=decision.pk)
            if op == "propose":
                result_id = _result_id(ResultForm(request.POST))
                proposal = services.ministry_propose(result_id=result_id, actor=request.user)
                messages.success(
                    request,
                    _("%(product)s is proposed to the ministry for 5 stars.")
                    % {"product": proposal.dossier.product.name},
                )
                return redirect("certificates:decisions")
            if op == "close":
                close = CloseForm(request.POST)
                result_id = _result_id(close)
                dossier = services.result_close_unrecognised(
                    result_id=result_id, actor=request.user, note=close.cleaned_data["note"]
                )
                messages.success(
                    request,
                    _("The dossier of %(product)s is closed without recognition.")
                    % {"product": dossier.product.name},
                )
                return redirect("certificates:decisions")
            raise ApplicationError(ErrorCode.INVALID, _("Unknown request."))
        except ApplicationError as exc:
            if exc.code == ErrorCode.NOT_FOUND:
                raise Http404(exc.message) from exc
            messages.error(request, exc.message)
            return _render_decisions(request, worklist, form, status=exc.status_code)
    return _render_decisions(request, worklist, form)


def _result_id(form) -> int:
    if not form.is_valid():
        raise ApplicationError(ErrorCode.INVALID, _("Unknown request."))
    return form.cleaned_data["result"]


def _render_decisions(request, worklist, form, status: int = 200) -> HttpResponse:
    user = request.user
    issuer = "ministry" if user.role == Role.MINISTRY_OFFICER else "province"
    ticked = {str(v) for v in (form["results"].value() or [])} if form.is_bound else set()
    return render(
        request,
        "certificates/decisions.html",
        {
            "worklist": worklist,
            "form": form,
            "ticked": ticked,
            "signer_titles": SIGNER_TITLES[issuer],
            "can_decide": user.role in (Role.PROVINCE_LEADER, Role.MINISTRY_OFFICER),
            "can_propose": user.role == Role.PROVINCE_LEADER,
            "can_close": user.role in (Role.PROVINCE_LEADER, Role.PROVINCE_OFFICER),
            "decisions": selectors.decision_list(user=user)[:50],
        },
        status=status,
    )


# --- one decision and its certificates -----------------------------------------------------------
@require_http_methods(["GET", "POST"])
@decision_page
def decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    """GET: the decision, its certificates and its signed copies. POST: file the signed copy
    (a PDF)."""
    try:
        found = selectors.decision_get(user=request.user, decision_id=decision_id)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ApplicationError(
                    ErrorCode.INVALID, _("Choose the PDF file of the signed decision.")
                )
            services.decision_scan_attach(decision_id=found.pk, file=upload, actor=request.user)
        except ApplicationError as exc:
            if exc.code == ErrorCode.NOT_FOUND:
                raise Http404(exc.message) from exc
            messages.error(request, exc.message)
            status = exc.status_code
        else:
            messages.success(request, _("The signed decision is filed."))
            return redirect("certificates:decision", decision_id=found.pk)
    for certificate in found.visible_certificates:
        certificate.public_status_label = PublicStatus(certificate.public_status).label
        certificate.public_url = services.public_url(certificate.product_code)
    can_file = request.user.role in services.SCAN_ROLES[found.level]
    return render(
        request,
        "certificates/decision.html",
        {"decision": found, "issuer": _issuer(found), "can_file": can_file},
        status=status,
    )


@require_GET
@decision_page
def decision_scan(request: HttpRequest, decision_id: int, scan_id: int) -> HttpResponse:
    """One signed copy of a decision the user may see; 404 otherwise."""
    try:
        found = selectors.decision_get(user=request.user, decision_id=decision_id)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc
    scan = next((s for s in found.scan_list if s.pk == scan_id), None)
    if scan is None:
        raise Http404(_("Not found, or outside your jurisdiction."))
    return file_response(
        storage_name=scan.storage_name,
        filename=scan.original_name,
        content_type="application/pdf",
        as_attachment=False,
    )


def _issuer(decision) -> str:
    """Who issued the decision, as a document names it: "Ủy ban nhân dân tỉnh Vĩnh Long"."""
    if decision.province is None:
        return _("Ministry of Agriculture and Environment")
    name = decision.province.full_name or decision.province.name
    return _("People's Committee of %(province)s") % {"province": name[:1].lower() + name[1:]}


@require_GET
@login_required
def certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The certificate's PDF as issued, for every user who may see the certificate (the
    producer too); 404 outside the user's jurisdiction."""
    try:
        certificate = selectors.certificate_get(user=request.user, certificate_id=certificate_id)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc
    return file_response(
        storage_name=certificate.pdf_storage_name,
        filename=f"GCN-OCOP-{certificate.product_code}.pdf",
        content_type="application/pdf",
        as_attachment=False,
    )
