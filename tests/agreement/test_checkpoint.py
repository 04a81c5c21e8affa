"""C2SP signed notes, tlog checkpoints and cosignatures by each participant's witness."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kakehashi.agreement.checkpoint import (
    COSIGNATURE_V1,
    Checkpoint,
    NoteError,
    NoteSigner,
    add_cosignature,
    open_note,
    parse_checkpoint,
    parse_vkey,
    split_note,
    verify_checkpoint,
)

# golang.org/x/mod/sumdb/note documentation example (Ed25519 is deterministic).
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = (
    GO_TEXT + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)

LOG = NoteSigner("kakehashi.example/log", Ed25519PrivateKey.generate())
METI = NoteSigner("meti.go.jp/witness", Ed25519PrivateKey.generate(), COSIGNATURE_V1)
MEITY = NoteSigner("meity.gov.in/witness", Ed25519PrivateKey.generate(), COSIGNATURE_V1)
CHECKPOINT = Checkpoint("kakehashi.example/log", 20852163, bytes(range(32)))


def _go_signer() -> NoteSigner:
    material = base64.b64decode(GO_SKEY.split("+", 4)[4])
    return NoteSigner("PeterNeumann", Ed25519PrivateKey.from_private_bytes(material[1:]))


def test_it_reproduces_the_go_signed_note_byte_for_byte() -> None:
    signer = _go_signer()
    assert GO_TEXT + "\n" + signer.signature_line(GO_TEXT) == GO_NOTE
    assert signer.key.vkey() == GO_VKEY
    assert open_note(GO_NOTE, [parse_vkey(GO_VKEY)])[0] == GO_TEXT


def test_it_rejects_the_go_note_with_one_changed_letter() -> None:
    with pytest.raises(NoteError, match="does not verify"):
        open_note(GO_NOTE.replace("cryptography", "cryptographY"), [parse_vkey(GO_VKEY)])


@pytest.mark.parametrize(
    "vkey",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+AhpkMQ==",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+!!!",
    ],
)
def test_it_rejects_malformed_or_inconsistent_verifier_keys(vkey: str) -> None:
    with pytest.raises(NoteError):
        parse_vkey(vkey)


def test_it_reads_the_timestamp_of_the_c2sp_example_cosignature() -> None:
    note = (
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
        "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5"
        "/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
        "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJs"
        "X3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
    )
    text, signatures = split_note(note)
    assert parse_checkpoint(text).size == 20852163
    assert signatures[1].timestamp() == 1679315147


def test_a_checkpoint_cosigned_by_both_participants_verifies() -> None:
    note = CHECKPOINT.sign(LOG)
    note = add_cosignature(note, METI, 1_767_225_600)
    note = add_cosignature(note, MEITY, 1_767_225_601)
    got = verify_checkpoint(note, LOG.key, [METI.key, MEITY.key], origin=CHECKPOINT.origin)
    assert got == CHECKPOINT
    assert CHECKPOINT.text() == ("kakehashi.example/log\n20852163\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n")


def test_it_says_which_witness_has_not_cosigned() -> None:
    note = add_cosignature(CHECKPOINT.sign(LOG), METI, 1_767_225_600)
    with pytest.raises(NoteError, match="not signed by meity.gov.in/witness"):
        verify_checkpoint(note, LOG.key, [METI.key, MEITY.key])


def test_it_detects_a_forged_checkpoint_with_a_different_root() -> None:
    note = add_cosignature(CHECKPOINT.sign(LOG), METI, 1_767_225_600)
    forged_text = Checkpoint(CHECKPOINT.origin, CHECKPOINT.size, bytes(32)).text()
    forged = forged_text + note[len(CHECKPOINT.text()) :]
    with pytest.raises(NoteError, match="does not verify"):
        verify_checkpoint(forged, LOG.key, [METI.key])


def test_a_cosignature_timestamp_is_signed_too() -> None:
    note = add_cosignature(CHECKPOINT.sign(LOG), METI, 1_767_225_600)
    _, signatures = split_note(note)
    body = bytearray(signatures[1].key_id + signatures[1].body)
    body[11] ^= 1  # last byte of the timestamp
    line = f"— {METI.name} {base64.b64encode(bytes(body)).decode()}\n"
    with pytest.raises(NoteError, match="does not verify"):
        verify_checkpoint(CHECKPOINT.sign(LOG) + line, LOG.key, [METI.key])


def test_a_log_key_cannot_pass_for_a_witness_key() -> None:
    impostor = NoteSigner(METI.name, METI.private_key)  # same key, plain note signature type
    note = CHECKPOINT.sign(LOG) + impostor.signature_line(CHECKPOINT.text())
    with pytest.raises(NoteError, match="not signed by meti.go.jp/witness"):
        verify_checkpoint(note, LOG.key, [METI.key])


def test_it_rejects_a_checkpoint_from_another_log() -> None:
    other = Checkpoint("other.example/log", 1, bytes(32)).sign(LOG)
    with pytest.raises(NoteError, match="origin"):
        verify_checkpoint(other, LOG.key, origin=CHECKPOINT.origin)


def test_unknown_signers_are_ignored_but_one_known_signature_is_required() -> None:
    stranger = NoteSigner("stranger.example", Ed25519PrivateKey.generate())
    note = CHECKPOINT.sign(LOG) + stranger.signature_line(CHECKPOINT.text())
    assert verify_checkpoint(note, LOG.key) == CHECKPOINT
    with pytest.raises(NoteError, match="no signature from a known key"):
        open_note(CHECKPOINT.text() + "\n" + stranger.signature_line(CHECKPOINT.text()), [LOG.key])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("origin\n12\n", "fewer than three lines"),
        ("\n12\nAAAA\n", "origin line is empty"),
        ("origin\n012\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", "not a decimal"),
        ("origin\n-1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", "not a decimal"),
        ("origin\n1\nAAAA\n", "not 32 bytes"),
        ("origin\n1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "newline"),
        ("origin\n1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\tx\n", "control"),
    ],
)
def test_it_rejects_malformed_checkpoints(text: str, reason: str) -> None:
    with pytest.raises(NoteError, match=reason):
        parse_checkpoint(text)


def test_extension_lines_are_kept_and_signed() -> None:
    checkpoint = Checkpoint("o", 3, bytes(32), ("agreement ijdp-2.0",))
    note = checkpoint.sign(LOG)
    assert verify_checkpoint(note, LOG.key) == checkpoint
    with pytest.raises(NoteError):
        verify_checkpoint(note.replace("ijdp-2.0", "ijdp-2.1"), LOG.key)
