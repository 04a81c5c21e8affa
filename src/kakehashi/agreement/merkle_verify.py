"""RFC 9162 §2.1.3.2 and §2.1.4.2 proof verification, with a reason for every rejection.

Pure and dependency-free so that `kakehashi instruments verify` can run it offline.
"""

from __future__ import annotations

from collections.abc import Sequence

from kakehashi.agreement.merkle import HASH_SIZE, node_hash


class ProofError(ValueError):
    """A Merkle proof does not verify; the message says why."""


def _check_hashes(proof: Sequence[bytes]) -> None:
    for position, element in enumerate(proof):
        if len(element) != HASH_SIZE:
            raise ProofError(f"proof element {position} is {len(element)} bytes, not 32")


def _shift_until_odd_or_zero(fn: int, sn: int) -> tuple[int, int]:
    while not fn & 1 and fn != 0:
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def root_from_inclusion_proof(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """Return the root an inclusion proof leads to, or raise ProofError (§2.1.3.2)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    if len(leaf) != HASH_SIZE:
        raise ProofError(f"leaf hash is {len(leaf)} bytes, not 32")
    _check_hashes(proof)
    fn, sn, digest = index, size - 1, leaf
    for element in proof:
        if sn == 0:
            raise ProofError("inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            digest = node_hash(element, digest)
            if not fn & 1:
                fn, sn = _shift_until_odd_or_zero(fn, sn)
        else:
            digest = node_hash(digest, element)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("inclusion proof is shorter than the tree is deep")
    return digest


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> None:
    """Raise ProofError unless `proof` shows leaf `index` is in the tree with `root`."""
    if root_from_inclusion_proof(leaf, index, size, proof) != root:
        raise ProofError("inclusion proof leads to a different root hash")


def verify_consistency(first: int, second: int, proof: Sequence[bytes], first_root: bytes, second_root: bytes) -> None:
    """Raise ProofError unless `proof` shows tree `second` extends tree `first` (§2.1.4.2)."""
    if first > second:
        raise ProofError(f"first size {first} is larger than second size {second}")
    if first == 0:
        raise ProofError("a consistency proof from the empty tree proves nothing")
    if first == second:
        if proof:
            raise ProofError("trees of equal size need an empty consistency proof")
        if first_root != second_root:
            raise ProofError("trees of equal size have different root hashes")
        return
    if not proof:
        raise ProofError("consistency proof is empty")
    _check_hashes(proof)
    _check_consistency_path(first, second, list(proof), first_root, second_root)


def _check_consistency_path(first: int, second: int, path: list[bytes], first_root: bytes, second_root: bytes) -> None:
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for element in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is longer than needed")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(element, fr), node_hash(element, sr)
            if not fn & 1:
                fn, sn = _shift_until_odd_or_zero(fn, sn)
        else:
            sr = node_hash(sr, element)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("consistency proof is shorter than needed")
    if fr != first_root:
        raise ProofError("consistency proof does not lead to the first root hash")
    if sr != second_root:
        raise ProofError("consistency proof does not lead to the second root hash")
