"""RFC 9162 Merkle tree: published vectors, classic roots, and store-served proofs."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kakehashi.agreement import merkle, merkle_reference
from kakehashi.agreement.merkle_verify import (
    ProofError,
    verify_consistency,
    verify_inclusion,
)

# RFC 9162 test vectors, vendored with their licence so a fresh clone needs nothing beside it.
VECTORS = Path(__file__).resolve().parent / "vectors" / "rfc9162-merkle"

RFC6962_INPUTS = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
]
RFC6962_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _cases(kind: str) -> list[Path]:
    return sorted((VECTORS / kind).rglob("*.json"))


def test_the_vector_folders_hold_all_196_cases() -> None:
    assert len(_cases("inclusion")) + len(_cases("consistency")) == 196


@pytest.mark.parametrize("path", _cases("inclusion"), ids=lambda p: str(p.relative_to(VECTORS)))
def test_it_accepts_valid_and_rejects_invalid_inclusion_vectors(path: Path) -> None:
    case = json.loads(path.read_text())
    proof = [_b64(h) for h in case["proof"] or []]
    args = (_b64(case["leafHash"]), case["leafIdx"], case["treeSize"], proof, _b64(case["root"]))
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("path", _cases("consistency"), ids=lambda p: str(p.relative_to(VECTORS)))
def test_it_accepts_valid_and_rejects_invalid_consistency_vectors(path: Path) -> None:
    case = json.loads(path.read_text())
    proof = [_b64(h) for h in case["proof"] or []]
    args = (case["size1"], case["size2"], proof, _b64(case["root1"]), _b64(case["root2"]))
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def _classic_leaves() -> list[bytes]:
    return [merkle.leaf_hash(bytes.fromhex(h)) for h in RFC6962_INPUTS]


@pytest.mark.parametrize("n", range(9))
def test_it_computes_the_classic_rfc6962_root_for_each_prefix(n: int) -> None:
    store = merkle.MemoryNodeStore()
    merkle.append_leaves(store, _classic_leaves()[:n])
    assert merkle.root_at(store, n).hex() == RFC6962_ROOTS[n]
    assert merkle_reference.mth(_classic_leaves()[:n]).hex() == RFC6962_ROOTS[n]
    assert merkle.root_from_leaves(_classic_leaves()[:n]) == (n, bytes.fromhex(RFC6962_ROOTS[n]))


def test_the_eight_leaf_tree_still_answers_every_earlier_root() -> None:
    store = merkle.MemoryNodeStore()
    merkle.append_leaves(store, _classic_leaves())
    assert [merkle.root_at(store, n).hex() for n in range(9)] == RFC6962_ROOTS


def test_it_serves_the_published_inclusion_path_of_leaf_0_in_8() -> None:
    store = merkle.MemoryNodeStore()
    merkle.append_leaves(store, _classic_leaves())
    assert [h.hex() for h in merkle.inclusion_proof(store, 0, 8)] == [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]


def test_it_refuses_proofs_beyond_the_log_size() -> None:
    store = merkle.MemoryNodeStore()
    merkle.append_leaves(store, _classic_leaves()[:3])
    with pytest.raises(ValueError):
        merkle.inclusion_proof(store, 0, 4)
    with pytest.raises(ValueError):
        merkle.consistency_proof(store, 0, 3)


def test_a_batch_append_equals_one_by_one_appends() -> None:
    one, batch = merkle.MemoryNodeStore(), merkle.MemoryNodeStore()
    leaves = [merkle.leaf_hash(bytes([i])) for i in range(37)]
    for leaf in leaves:
        merkle.append_leaves(one, [leaf])
    merkle.append_leaves(batch, leaves[:5])
    merkle.append_leaves(batch, leaves[5:])
    keys = [(level, i) for level in range(6) for i in range(37 >> level)]
    assert one.get_nodes(keys) == batch.get_nodes(keys)


def test_it_reads_logarithmically_many_nodes_per_proof() -> None:
    n = 1_000_003
    worst = max(len({k for e in merkle.inclusion_plan(i, n) for k in e}) for i in range(0, n, 9973))
    worst_c = max(len({k for e in merkle.consistency_plan(m, n) for k in e}) for m in range(1, n, 9973))
    depth = n.bit_length()
    assert worst <= 2 * depth and worst_c <= 3 * depth


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 300), data=st.data())
def test_store_proofs_match_the_rfc_definitions_and_verify(size: int, data: st.DataObject) -> None:
    leaves = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(size)]
    store = merkle.MemoryNodeStore()
    cut = data.draw(st.integers(0, size))
    merkle.append_leaves(store, leaves[:cut])
    merkle.append_leaves(store, leaves[cut:])
    tree_size = data.draw(st.integers(1, size))
    index = data.draw(st.integers(0, tree_size - 1))
    first = data.draw(st.integers(1, tree_size))
    root = merkle.root_at(store, tree_size)
    assert root == merkle_reference.mth(leaves[:tree_size])

    path = merkle.inclusion_proof(store, index, tree_size)
    assert path == merkle_reference.path(index, leaves[:tree_size])
    verify_inclusion(leaves[index], index, tree_size, path, root)

    consistency = merkle.consistency_proof(store, first, tree_size)
    assert consistency == merkle_reference.proof(first, leaves[:tree_size])
    verify_consistency(first, tree_size, consistency, merkle.root_at(store, first), root)


@settings(max_examples=40, deadline=None)
@given(size=st.integers(2, 200), data=st.data())
def test_it_rejects_a_proof_for_the_wrong_leaf_or_a_flipped_bit(size: int, data: st.DataObject) -> None:
    leaves = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(size)]
    store = merkle.MemoryNodeStore()
    merkle.append_leaves(store, leaves)
    index = data.draw(st.integers(0, size - 1))
    root = merkle.root_at(store, size)
    path = merkle.inclusion_proof(store, index, size)
    other = (index + 1) % size
    with pytest.raises(ProofError):
        verify_inclusion(leaves[other], index, size, path, root)
    position = data.draw(st.integers(0, len(path) - 1))
    tampered = list(path)
    tampered[position] = bytes([tampered[position][0] ^ 1]) + tampered[position][1:]
    with pytest.raises(ProofError):
        verify_inclusion(leaves[index], index, size, tampered, root)
    first = data.draw(st.integers(1, size - 1))
    consistency = merkle.consistency_proof(store, first, size)
    with pytest.raises(ProofError):
        verify_consistency(first, size, consistency, merkle.root_at(store, first), leaves[0])
