#!/usr/bin/python3
"""gensim side of scripts/bench/embeddings.sh (run with Debian's /usr/bin/python3, gensim 4.2).

  train CORPUS OUT DIM WINDOW NEGATIVE MIN_COUNT EPOCHS WORKERS SEED [sg|cbow]   prints raw words/s
  eval VECTORS ANALOGIES RESTRICT [PAIRS]                               gensim's evaluation, per section
"""
import sys
import time


def train(corpus, out, dim, window, negative, min_count, epochs, workers, seed, arch="sg"):
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence
    sentences = LineSentence(corpus)  # splits lines longer than 10,000 words, as our reader does
    if arch not in ("sg", "cbow"):
        sys.exit(f"embeddings_gensim.py: architecture '{arch}' is neither sg nor cbow")
    # cbow_mean=1 (gensim's default) is what our CBOW does by default too.
    model = Word2Vec(vector_size=int(dim), window=int(window), negative=int(negative), hs=0, sg=int(arch == "sg"),
                     min_count=int(min_count), workers=int(workers), seed=int(seed))
    model.build_vocab(sentences)
    total = model.corpus_total_words
    start = time.perf_counter()
    model.train(sentences, total_examples=model.corpus_count, epochs=int(epochs))
    seconds = time.perf_counter() - start
    model.wv.save_word2vec_format(out)
    retained = sum(model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key)
    print(f"gensim: vocabulary {len(model.wv)} words, {retained * int(epochs)} words trained in {seconds:.2f} s: "
          f"{retained * int(epochs) / seconds:.0f} words/s (corpus {total} words)")


def evaluate(vectors, analogies, restrict, pairs=None):
    from gensim.models import KeyedVectors
    with open(vectors, "rb") as f:
        first = f.readline().split()
    no_header = not (len(first) == 2 and all(x.isdigit() for x in first))
    kv = KeyedVectors.load_word2vec_format(vectors, binary=False, no_header=no_header)
    score, sections = kv.evaluate_word_analogies(analogies, restrict_vocab=int(restrict))
    for s in sections:
        c, i = len(s["correct"]), len(s["incorrect"])
        print(f"gensim {s['section']}: {c}/{c + i}")
    print(f"gensim Total accuracy: {100 * score:.4f}%")
    if pairs:
        p, s, oov = kv.evaluate_word_pairs(pairs, restrict_vocab=int(restrict))
        print(f"gensim pairs: Pearson {p[0]:.6f} Spearman {s[0]:.6f} OOV {oov:.4f}%")


if __name__ == "__main__":
    {"train": train, "eval": evaluate}[sys.argv[1]](*sys.argv[2:])
