"""RFC 9162 §2.1 Merkle tree: hashing, a store of perfect subtrees, proof generation.

The tree is never held whole. A `NodeStore` keeps the hash of every *complete perfect
subtree*, keyed by ``(level, index)``: the node at level ``l`` and index ``i`` covers the
leaves ``[i * 2**l, (i + 1) * 2**l)``. Appending a leaf writes the leaf and every perfect
subtree it completes (amortised two writes per leaf). Any subtree hash the RFC needs,
perfect or not, is the right fold of at most ``log2(n) + 1`` stored nodes, so a proof is
planned first as a list of node keys, fetched in one batch, then folded: O(log n) reads and
one round trip for a database-backed store. Verification lives in `merkle_verify`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Protocol

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeKey = tuple[int, int]
"""(level, index) of a complete perfect subtree."""

Plan = list[tuple[NodeKey, ...]]
"""One entry per proof element: the stored nodes whose right fold is that element."""


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 9162 leaf hash SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 9162 interior node hash SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


class NodeStore(Protocol):
    """Where the hashes of complete perfect subtrees live (memory, SQLite, PostgreSQL)."""

    def size(self) -> int:
        """Return the number of leaves stored."""
        ...

    def get_nodes(self, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
        """Return the hash of every key asked for; raise KeyError if one is missing."""
        ...

    def put_nodes(self, nodes: Sequence[tuple[NodeKey, bytes]]) -> None:
        """Store new nodes; keys are new, level-0 keys arrive in index order."""
        ...


class MemoryNodeStore:
    """A `NodeStore` held in lists, one per level (tests, bench, offline tools)."""

    def __init__(self) -> None:
        self._levels: list[list[bytes]] = [[]]

    def size(self) -> int:
        """Return the number of leaves stored."""
        return len(self._levels[0])

    def level(self, level: int) -> list[bytes]:
        """Return every stored node of one level, in index order."""
        return list(self._levels[level]) if level < len(self._levels) else []

    def get_nodes(self, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
        """Return the hash of every key asked for; raise KeyError if one is missing."""
        found: dict[NodeKey, bytes] = {}
        for level, index in keys:
            try:
                found[(level, index)] = self._levels[level][index]
            except IndexError:
                raise KeyError((level, index)) from None
        return found

    def put_nodes(self, nodes: Sequence[tuple[NodeKey, bytes]]) -> None:
        """Store new nodes; each must extend its level by exactly one."""
        for (level, index), digest in nodes:
            while len(self._levels) <= level:
                self._levels.append([])
            if index != len(self._levels[level]):
                raise ValueError(f"node ({level}, {index}) is not the next at its level")
            self._levels[level].append(digest)


def _largest_power_below(n: int) -> int:
    """Return the largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree_keys(start: int, size: int) -> tuple[NodeKey, ...]:
    """Return the perfect subtrees, largest first, that make up leaves [start, start+size).

    `start` must be a multiple of the smallest power of two >= `size`, which holds for every
    subtree the RFC's recursive definitions visit; the right fold of these nodes is then
    exactly MTH of the range.
    """
    keys: list[NodeKey] = []
    position = start
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            keys.append((level, position >> level))
            position += 1 << level
    return tuple(keys)


def fold(hashes: Sequence[bytes]) -> bytes:
    """Right-fold perfect-subtree hashes (largest first) into the hash of their union."""
    digest = hashes[-1]
    for left in reversed(hashes[:-1]):
        digest = node_hash(left, digest)
    return digest


def inclusion_plan(index: int, size: int) -> Plan:
    """Plan PATH(index, D[size]) of RFC 9162 §2.1.3.1 as node keys, bottom element first."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} is not in a tree of size {size}")
    plan: Plan = []
    start, m, n = 0, index, size
    while n > 1:
        k = _largest_power_below(n)
        if m < k:
            plan.append(subtree_keys(start + k, n - k))
            n = k
        else:
            plan.append(subtree_keys(start, k))
            start, m, n = start + k, m - k, n - k
    plan.reverse()
    return plan


def consistency_plan(first: int, second: int) -> Plan:
    """Plan PROOF(first, D[second]) of RFC 9162 §2.1.4.1 as node keys, bottom first."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from size {first} to size {second}")
    plan: Plan = []
    start, m, n, complete = 0, first, second, True
    while m != n:
        k = _largest_power_below(n)
        if m <= k:
            plan.append(subtree_keys(start + k, n - k))
            n = k
        else:
            plan.append(subtree_keys(start, k))
            start, m, n, complete = start + k, m - k, n - k, False
    if not complete:
        plan.append(subtree_keys(start, n))
    plan.reverse()
    return plan


def resolve(store: NodeStore, plan: Plan) -> list[bytes]:
    """Fetch every node a plan needs in one batch and fold each proof element."""
    wanted = sorted({key for element in plan for key in element})
    nodes = store.get_nodes(wanted) if wanted else {}
    return [fold([nodes[key] for key in element]) for element in plan]


def root_at(store: NodeStore, size: int) -> bytes:
    """Return MTH of the first `size` leaves (any size up to the store's)."""
    if size == 0:
        return EMPTY_ROOT
    return resolve(store, [subtree_keys(0, size)])[0]


def inclusion_proof(store: NodeStore, index: int, size: int) -> list[bytes]:
    """Return the RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves."""
    _check_size(store, size)
    return resolve(store, inclusion_plan(index, size))


def consistency_proof(store: NodeStore, first: int, second: int) -> list[bytes]:
    """Return the RFC 9162 consistency proof between tree sizes `first` and `second`."""
    _check_size(store, second)
    return resolve(store, consistency_plan(first, second))


def _check_size(store: NodeStore, size: int) -> None:
    if size > store.size():
        raise ValueError(f"tree size {size} exceeds the log size {store.size()}")


def append_leaves(store: NodeStore, leaf_hashes: Iterable[bytes]) -> int:
    """Append leaf hashes, store every perfect subtree they complete, return the new size.

    Reads the right edge once (at most log2(n) + 1 nodes), then works in memory and writes
    all new nodes in one `put_nodes` call, so a batch costs one read and one write.
    """
    size = store.size()
    edge_keys = subtree_keys(0, size)
    edge = store.get_nodes(edge_keys) if edge_keys else {}
    stack = [(level, edge[(level, index)]) for level, index in edge_keys]
    new_nodes: list[tuple[NodeKey, bytes]] = []
    for digest in leaf_hashes:
        if len(digest) != HASH_SIZE:
            raise ValueError("a leaf hash must be 32 bytes")
        level, index = 0, size
        new_nodes.append(((0, index), digest))
        while stack and stack[-1][0] == level:
            _, left = stack.pop()
            digest = node_hash(left, digest)
            level, index = level + 1, index >> 1
            new_nodes.append(((level, index), digest))
        stack.append((level, digest))
        size += 1
    store.put_nodes(new_nodes)
    return size


def root_from_leaves(leaf_hashes: Iterable[bytes]) -> tuple[int, bytes]:
    """Stream leaf hashes and return (count, MTH) in O(log n) memory (full verification)."""
    stack: list[tuple[int, bytes]] = []
    count = 0
    for digest in leaf_hashes:
        level = 0
        while stack and stack[-1][0] == level:
            digest = node_hash(stack.pop()[1], digest)
            level += 1
        stack.append((level, digest))
        count += 1
    if not stack:
        return 0, EMPTY_ROOT
    return count, fold([digest for _, digest in stack])
