"""Checkpoints kept outside the database, so that truncating the log (entries and checkpoints together) shows.

Every checkpoint the log signs is appended, once its transaction commits, to a file the operator keeps (JSON
lines `{"size", "note"}`; by default `$KAKEHASHI_VAR_DIR/checkpoints/<database>.jsonl`, set by the entry
points). `kakehashi log export-checkpoint` writes the latest checkpoint (with its cosignatures) for witnesses
or for safe keeping elsewhere, and `kakehashi log verify` reads the default file and any `--checkpoint FILE`:
a checkpoint larger than the log, or whose root the entries do not produce, means the log was cut or rewritten.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from kakehashi.agreement.transparency import NEW_CHECKPOINTS

log = logging.getLogger("kakehashi.agreement.publication")
_PUBLISHING = "kakehashi.agreement.publishing_to"
SIGNATURE_PREFIX = "\u2014 "  # every signature line of a C2SP signed note starts with an em dash and a space


def append_notes(path: Path, notes: list[str]) -> None:
    """Append signed checkpoint notes to `path` (JSON lines), creating it and its folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        for note in notes:
            handle.write(json.dumps({"note": note}, ensure_ascii=False) + "\n")


def publish_to(sessions: sessionmaker[Session], path: Path) -> None:
    """After every commit of a session of `sessions`, append the checkpoints it signed to `path` (once per
    sessionmaker). A file that cannot be written is logged, never turned into a failure of the committed act."""
    if sessions.kw.get("info", {}).get(_PUBLISHING) == str(path):
        return

    def committed(session: Session) -> None:
        notes = session.info.pop(NEW_CHECKPOINTS, None)
        if notes:
            try:
                append_notes(path, notes)
            except OSError:
                log.exception("could not append %d checkpoint(s) to %s", len(notes), path)

    def rolled_back(session: Session) -> None:
        session.info.pop(NEW_CHECKPOINTS, None)

    event.listen(sessions, "after_commit", committed)
    event.listen(sessions, "after_rollback", rolled_back)
    sessions.kw.setdefault("info", {})[_PUBLISHING] = str(path)


def parse_notes(text: str) -> list[str]:
    """The signed notes in a checkpoint file: JSON lines as `publish_to` writes, or notes one after another."""
    notes: list[str] = []
    if text.lstrip().startswith("{"):
        for line in text.splitlines():
            if line.strip():
                value = json.loads(line)
                notes.append(str(value["note"]))
        return notes
    body: list[str] = []
    signatures: list[str] = []
    in_signatures = False
    for line in text.splitlines():
        if in_signatures and line.startswith(SIGNATURE_PREFIX):
            signatures.append(line)
            continue
        if in_signatures:  # the next note begins
            notes.append("\n".join(body) + "\n\n" + "\n".join(signatures) + "\n")
            body, signatures, in_signatures = [], [], False
        if line == "" and body:
            in_signatures = True
        elif line:
            body.append(line)
    if body and signatures:
        notes.append("\n".join(body) + "\n\n" + "\n".join(signatures) + "\n")
    return notes
