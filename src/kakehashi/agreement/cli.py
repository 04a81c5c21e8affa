"""CLI: `kakehashi keys generate`, `instruments sign|verify` (offline), `log verify` and `log export-checkpoint`.

Reminders and the demo witnesses are jobs (`kakehashi jobs run agreement.reminders`).

`keys generate`, `instruments sign` and `instruments verify` touch neither the network nor the database:
a signatory keeps the private key on their own machine and uploads only signatures.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import typer

from kakehashi.agreement import jws
from kakehashi.agreement.canonical import NotCanonicalError, parse_canonical
from kakehashi.agreement.originals import load_original, verify_original

keys = typer.Typer(help="Signing keys (Ed25519), kept by the signer.", no_args_is_help=True)
instruments = typer.Typer(help="Sign and verify instruments offline.", no_args_is_help=True)
log = typer.Typer(help="The transparency log.", no_args_is_help=True)


@keys.command("generate")
def generate(
    out: Path = typer.Option(..., help="Where to write the private key (PKCS#8 PEM, mode 0600)."),
    force: bool = typer.Option(False, help="Overwrite an existing file."),
) -> None:
    """Create a key pair: the private key goes to OUT, the public JWK to stdout (register it on the platform)."""
    if out.exists() and not force:
        typer.echo(f"error: {out} exists (use --force to overwrite)", err=True)
        raise typer.Exit(2)
    key = jws.generate_key()
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(jws.private_key_to_pem(key))
    typer.echo(json.dumps({"kid": jws.key_id(key), "jwk": jws.public_jwk(key)}, indent=2))


def _payload_bytes(path: Path) -> bytes:
    """The canonical payload from a raw payload file or from an instrument as the API returns it."""
    raw = path.read_bytes()
    try:
        view = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return raw
    if isinstance(view, dict) and "payload_b64" in view:
        return jws.b64url_decode(str(view["payload_b64"]))
    if isinstance(view, dict) and isinstance(view.get("payload"), str):  # a JWS
        return jws.b64url_decode(view["payload"])
    return raw


@instruments.command("sign")
def sign(
    payload: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="The canonical payload, or the instrument JSON from the API."
    ),
    key: Path = typer.Option(..., exists=True, dir_okay=False, help="Your private key file."),
    out: Path | None = typer.Option(None, help="Write the signature entry here instead of stdout."),
) -> None:
    """Sign an instrument's payload with your key; prints the signature entry to upload."""
    data = _payload_bytes(payload)
    try:
        parse_canonical(data)
    except NotCanonicalError as exc:
        typer.echo(f"error: refusing to sign: {exc}", err=True)
        raise typer.Exit(2) from exc
    try:
        private = jws.load_private_key(key.read_bytes())
    except ValueError as exc:
        typer.echo(f"error: {key}: {exc}", err=True)
        raise typer.Exit(2) from exc
    entry = json.dumps(jws.sign(data, private), indent=2)
    if out is None:
        typer.echo(entry)
    else:
        out.write_text(entry + "\n", encoding="utf-8")
        typer.echo(f"signature written to {out} (kid {jws.key_id(private)})", err=True)


@instruments.command("verify")
def verify(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="An instrument's original (JSON)."),
    log_key: str | None = typer.Option(None, help="The log's published verifier key, to pin it."),
    witness_key: list[str] = typer.Option([], help="A witness verifier key that must have cosigned (repeat)."),
) -> None:
    """Verify an original offline: signatures, keys, log inclusion and checkpoint. Exit 1 if anything fails."""
    try:
        document = load_original(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        typer.echo(f"FAIL  {exc}")
        raise typer.Exit(1) from exc
    report = verify_original(document, log_key=log_key, witness_keys=witness_key or None)
    for line in report.passed:
        typer.echo(f"ok    {line}")
    for line in report.failed:
        typer.echo(f"FAIL  {line}")
    for line in report.notes:
        typer.echo(f"note  {line}")
    typer.echo("VALID" if report.ok else "INVALID")
    if not report.ok:
        raise typer.Exit(1)


@log.command("verify")
def log_verify(
    checkpoint: list[Path] = typer.Option(
        [], help="A checkpoint file kept outside the database (export-checkpoint output, a witness's copy; repeat)."
    ),
) -> None:
    """Recompute the log from the database, check it against the checkpoints kept outside it and every logged
    fact against the rows that claim it; list each discrepancy. Exit 1 if any."""
    from kakehashi.agreement.logcheck import verify_log
    from kakehashi.agreement.publication import parse_notes
    from kakehashi.cli_support import session_scope, settings

    files = list(checkpoint)
    default = settings().checkpoint_path()
    if default is not None and default.exists() and default not in files:
        files.append(default)
    notes: list[str] = []
    for path in files:
        try:
            notes.extend(parse_notes(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError) as exc:
            typer.echo(f"FAIL  checkpoint file {path}: cannot be read ({exc})")
            raise typer.Exit(1) from exc
    with session_scope() as session:
        report = verify_log(session, published=notes)
    typer.echo(f"entries {report.size}, checkpoints {report.checkpoints}, root {base64.b64encode(report.root).decode()}")
    typer.echo(f"checkpoints kept outside the database: {report.published} (from {', '.join(map(str, files)) or 'no file'})")
    typer.echo(f"facts checked against their rows: agreement, {', '.join(report.sources) or 'no other context'}")
    for problem in report.problems:
        typer.echo(f"FAIL  {problem}")
    typer.echo("log verified: no discrepancy" if report.ok else f"{len(report.problems)} problem(s) found")
    if not report.ok:
        raise typer.Exit(1)


@log.command("export-checkpoint")
def log_export_checkpoint(
    out: Path | None = typer.Option(None, help="Append the checkpoint to this file instead of printing it."),
) -> None:
    """Print (or append to OUT) the latest signed checkpoint with its cosignatures, to keep outside the database."""
    from kakehashi.agreement.publication import append_notes
    from kakehashi.agreement.transparency import latest_checkpoint
    from kakehashi.cli_support import session_scope

    with session_scope() as session:
        latest = latest_checkpoint(session)
        note = latest.note if latest is not None else None
    if note is None:
        typer.echo("error: the log has no checkpoint yet", err=True)
        raise typer.Exit(2)
    if out is None:
        typer.echo(note, nl=False)
    else:
        append_notes(out, [note])
        typer.echo(f"checkpoint appended to {out}", err=True)


COMMANDS = {"keys": keys, "instruments": instruments, "log": log}
