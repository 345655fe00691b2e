"""What changed between two submissions of a dossier."""

from ..models import (
    Dossier,
)


# --- snapshots: what changed between submissions ---------------------------------------------
def dossier_snapshot(dossier: Dossier) -> dict:
    return {
        "form01": dict(dossier.form01),
        "form02": dict(dossier.form02),
        "self_assessment": {
            a.criterion_code: a.option_number for a in dossier.self_assessment.all()
        },
        "files": {
            str(f.pk): {
                "name": f.original_name,
                "annex": f.annex_type,
                "criterion": f.criterion_code,
                "sha256": f.sha256,
            }
            for f in dossier.files.filter(replaced_by__isnull=True)
        },
    }


def snapshot_diff(before: dict, after: dict) -> list[dict]:
    """Changes between two submission snapshots, as a list the timeline can show."""
    changes = []
    for part in ("form01", "form02", "self_assessment"):
        old, new = before.get(part, {}), after.get(part, {})
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                changes.append(
                    {"part": part, "key": key, "before": old.get(key), "after": new.get(key)}
                )
    old_files, new_files = before.get("files", {}), after.get("files", {})
    for fid in sorted(set(new_files) - set(old_files), key=int):
        changes.append(
            {
                "part": "files",
                "key": new_files[fid]["name"],
                "before": None,
                "after": new_files[fid]["sha256"],
            }
        )
    for fid in sorted(set(old_files) - set(new_files), key=int):
        changes.append(
            {
                "part": "files",
                "key": old_files[fid]["name"],
                "before": old_files[fid]["sha256"],
                "after": None,
            }
        )
    return changes
