"""The story MinHash is datasketch's, value for value: stored fingerprints depend on it."""

import pytest
from datasketch import MinHash

from articles.ingest import story_match


def datasketch_minhash(tokens: list[str], num_perm: int) -> tuple[int, ...]:
    minhash = MinHash(num_perm=num_perm, seed=story_match.SEED)
    if tokens:
        minhash.update_batch([token.encode("utf-8") for token in tokens])
    return tuple(int(value) for value in minhash.hashvalues)


TEXTS = [
    "Air strikes hit the market in Maarat al-Numan, killing 42 people, the monitor said.",
    "غارات جوية على سوق معرة النعمان أسفرت عن مقتل 42 شخصاً بحسب المرصد",
    "Café owners in Deir ez-Zor reopened — ÉTÉ, naïve, São Paulo",
    "one",
]


@pytest.mark.parametrize("num_perm", [story_match.NUM_PERM, story_match.ENTITY_PERM])
@pytest.mark.parametrize("text", TEXTS)
def test_a_report_has_the_minhash_datasketch_gives_it(text, num_perm):
    tokens = sorted(story_match.shingles(text))
    assert story_match._minhash(tokens, num_perm) == datasketch_minhash(tokens, num_perm)


def test_entities_hash_as_datasketch_hashes_them():
    entities = sorted(story_match.entity_keys(["nusra-front", "sohr"], ["idlib", "maarat"]))
    assert story_match._minhash(entities, story_match.ENTITY_PERM) == datasketch_minhash(
        entities, story_match.ENTITY_PERM
    )


def test_a_report_without_words_has_the_empty_minhash():
    assert story_match._minhash([], story_match.NUM_PERM) == datasketch_minhash([], 64)
    assert story_match.band_keys(story_match.fingerprint("", "", entities=[], day=None)) == []


def test_diacritics_fold_as_before():
    # NFKD, then every combining mark dropped: "é" is "e", Arabic letters are kept.
    assert story_match.normalise("Café ÉTÉ naïve") == "cafe ete naive"
    assert story_match.normalise("مُعَرَّة ١٢") == "معرة 12"
