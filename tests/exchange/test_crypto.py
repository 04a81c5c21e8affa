"""Envelope encryption: round trips, tamper detection of every kind, and master-key rotation."""

from __future__ import annotations

import io
import os

import pytest

from kakehashi.exchange.crypto import (
    MasterKey,
    WrappedKey,
    decrypt_bytes,
    decrypt_stream,
    encrypt_bytes,
    encrypt_stream,
    iter_decrypt,
    keyring_from_settings,
    new_data_key,
    parse_keyring,
    parse_master_key,
    rewrap_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from kakehashi.exchange.errors import InvalidMasterKey, KeyUnwrapFailed, TamperedContent, UnknownMasterKey

CHUNK = 64
HEADER = 16
SEALED = CHUNK + 16


@pytest.fixture
def key():
    return new_data_key()


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * CHUNK + 7])
def test_content_round_trips_at_every_chunk_boundary(key, size):
    plaintext = os.urandom(size)
    sealed = encrypt_bytes(plaintext, key, chunk_size=CHUNK)
    assert decrypt_bytes(sealed, key) == plaintext
    assert len(sealed) == HEADER + size + 16 * max(1, -(-size // CHUNK))  # the last chunk may be full


def test_ciphertext_does_not_contain_the_plaintext(key):
    plaintext = b"CONFIDENTIAL semiconductor roadmap " * 100
    assert b"CONFIDENTIAL" not in encrypt_bytes(plaintext, key, chunk_size=CHUNK)


def test_two_encryptions_of_the_same_content_differ(key):
    assert encrypt_bytes(b"same", key) != encrypt_bytes(b"same", key)


def test_streams_work_through_short_reads(key):
    class Trickle(io.RawIOBase):
        def __init__(self, data):
            self.data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self.data.read(min(len(buffer), 7))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    plaintext = os.urandom(10 * CHUNK + 3)
    sealed = io.BytesIO()
    encrypt_stream(Trickle(plaintext), sealed, key, chunk_size=CHUNK)
    out = io.BytesIO()
    assert decrypt_stream(Trickle(sealed.getvalue()), out, key) == len(plaintext)
    assert out.getvalue() == plaintext


def _sealed(key, chunks=4):
    return bytearray(encrypt_bytes(os.urandom(chunks * CHUNK - 5), key, chunk_size=CHUNK))


def test_a_flipped_bit_anywhere_is_detected(key):
    sealed = _sealed(key)
    for position in (0, 5, 9, HEADER, HEADER + SEALED + 3, len(sealed) - 1):
        tampered = bytearray(sealed)
        tampered[position] ^= 0x01
        with pytest.raises(TamperedContent):
            decrypt_bytes(bytes(tampered), key)


def test_truncation_at_a_chunk_boundary_is_detected(key):
    sealed = _sealed(key)
    with pytest.raises(TamperedContent):
        decrypt_bytes(bytes(sealed[: HEADER + 2 * SEALED]), key)


def test_dropping_the_final_chunk_or_the_header_is_detected(key):
    sealed = _sealed(key)
    for cut in (len(sealed) - 1, HEADER, 3):
        with pytest.raises(TamperedContent):
            decrypt_bytes(bytes(sealed[:cut]), key)


def test_reordered_chunks_are_detected(key):
    sealed = _sealed(key)
    first, second = sealed[HEADER:HEADER + SEALED], sealed[HEADER + SEALED:HEADER + 2 * SEALED]
    swapped = sealed[:HEADER] + second + first + sealed[HEADER + 2 * SEALED:]
    with pytest.raises(TamperedContent):
        decrypt_bytes(bytes(swapped), key)


def test_appended_data_is_detected(key):
    sealed = _sealed(key)
    with pytest.raises(TamperedContent):
        decrypt_bytes(bytes(sealed) + bytes(sealed[HEADER:HEADER + SEALED]), key)


def test_no_byte_of_a_tampered_chunk_is_released(key):
    plaintext = os.urandom(3 * CHUNK)
    sealed = bytearray(encrypt_bytes(plaintext, key, chunk_size=CHUNK))
    sealed[HEADER + SEALED + 1] ^= 0xFF  # damage the second chunk
    released = []
    with pytest.raises(TamperedContent):
        for chunk in iter_decrypt(io.BytesIO(bytes(sealed)), key):
            released.append(chunk)
    assert b"".join(released) == plaintext[:CHUNK]


def test_the_wrong_data_key_is_detected(key):
    with pytest.raises(TamperedContent):
        decrypt_bytes(encrypt_bytes(b"x", key), new_data_key())


def test_a_wrapped_key_unwraps_only_for_its_item():
    keyring = keyring_from_settings(os.urandom(32))
    data_key = new_data_key()
    wrapped = wrap_data_key(data_key, item_id="item-1", master=keyring.current)
    assert unwrap_data_key(wrapped, item_id="item-1", keyring=keyring) == data_key
    with pytest.raises(KeyUnwrapFailed):
        unwrap_data_key(wrapped, item_id="item-2", keyring=keyring)


def test_a_tampered_wrapped_key_is_detected():
    keyring = keyring_from_settings(os.urandom(32))
    wrapped = wrap_data_key(new_data_key(), item_id="item-1", master=keyring.current)
    damaged = WrappedKey(wrapped.master_key_id, wrapped.blob[:-1] + bytes([wrapped.blob[-1] ^ 1]))
    with pytest.raises(KeyUnwrapFailed):
        unwrap_data_key(damaged, item_id="item-1", keyring=keyring)


def test_rotation_rewraps_keys_and_leaves_content_readable():
    old, new = os.urandom(32), os.urandom(32)
    data_key = new_data_key()
    sealed = encrypt_bytes(b"the whole report", data_key)
    wrapped = wrap_data_key(data_key, item_id="item-1", master=MasterKey(old))
    rotated = rewrap_data_key(wrapped, item_id="item-1", keyring=keyring_from_settings(new, [old]))
    assert rotated.master_key_id == MasterKey(new).key_id != wrapped.master_key_id
    after = keyring_from_settings(new)  # the old key can now be retired
    assert decrypt_bytes(sealed, unwrap_data_key(rotated, item_id="item-1", keyring=after)) == b"the whole report"


def test_rewrapping_under_the_current_key_changes_nothing():
    keyring = keyring_from_settings(os.urandom(32))
    wrapped = wrap_data_key(new_data_key(), item_id="item-1", master=keyring.current)
    assert rewrap_data_key(wrapped, item_id="item-1", keyring=keyring) is wrapped


def test_a_key_wrapped_by_a_retired_and_removed_master_key_is_reported():
    wrapped = wrap_data_key(new_data_key(), item_id="item-1", master=MasterKey(os.urandom(32)))
    with pytest.raises(UnknownMasterKey):
        unwrap_data_key(wrapped, item_id="item-1", keyring=keyring_from_settings(os.urandom(32)))


def test_master_keys_are_parsed_from_hex_or_base64_and_must_be_32_bytes():
    raw = bytes(range(32))
    assert parse_master_key(raw.hex()) == raw
    assert parse_master_key("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n") == raw
    for bad in ("short", "00" * 16, "not base64!!"):
        with pytest.raises(InvalidMasterKey):
            parse_master_key(bad)
    with pytest.raises(InvalidMasterKey):
        MasterKey(b"x" * 16)


def test_master_key_ids_are_stable_fingerprints_and_the_key_is_not_in_repr():
    raw = bytes(range(32))
    assert MasterKey(raw).key_id == MasterKey(raw).key_id
    assert raw.hex() not in repr(MasterKey(raw)) and str(raw) not in repr(MasterKey(raw))


def test_the_settings_value_lists_the_current_key_then_retired_ones():
    new, old = bytes(range(32)), bytes(32)
    keyring = parse_keyring(f"{new.hex()}, {old.hex()}")
    assert (keyring.current.key, [k.key for k in keyring.retired]) == (new, [old])
    with pytest.raises(InvalidMasterKey):
        parse_keyring("  ")
