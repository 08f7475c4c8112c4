"""The ``framing`` command line: thin commands over the library.

This is the only module that writes to the terminal. Heavy imports (the model,
scikit-learn) happen inside the commands that need them, so ``--help`` and
errors stay fast. Exit codes: 0 success, 1 input could not be classified or
another failure, 2 bad usage. Every error is one line on stderr.
"""

from __future__ import annotations

import csv
import enum
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from framing.errors import FramingError

try:  # typer 0.29 and later carry their own copy of click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_exceptions

from framing.defaults import (
    ARTICLE_SUFFIXES, CARD_FILENAME, DEFAULT_DETAILS, DEFAULT_MAX_BYTES, DEFAULT_PATTERNS, MODEL_FILENAME,
    SCORES_SUFFIXES, SMALL_RUN_FILES,
)
from framing.labels import TERMINAL_STYLES as LABEL_STYLES


def _listed(suffixes) -> str:
    return ", ".join(sorted(suffixes))


def _help_flag_without_type(option):
    if option is not None:
        option.metavar = ""  # a flag takes no value: typer 0.29 would print "<bool>"
    return option


class _Command(TyperCommand):
    """A command whose help reads as Unix help does: ``ARTICLE``, not typer 0.29's ``{article}``
    and ``<str>``; the argument's name says what it takes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.param_type_name == "argument":
                param.display_type_rich = lambda ctx=None: None

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [piece[1:-1] if piece.startswith("{") and piece.endswith("}") else piece for piece in pieces]

    def get_help_option(self, ctx):
        return _help_flag_without_type(super().get_help_option(ctx))


class _OneLineErrors(TyperGroup):
    """Runs the app so that every failure is one line on stderr with the right exit code."""

    def get_help_option(self, ctx):
        return _help_flag_without_type(super().get_help_option(ctx))

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            result = super().main(
                args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
            )
        except click_exceptions.NoArgsIsHelpError as error:
            typer.echo(error.ctx.get_help())
            sys.exit(0)
        except click_exceptions.UsageError as error:
            command = f" {error.ctx.info_name}" if error.ctx and error.ctx.parent else ""
            _error(f"{error.format_message()} (see 'framing{command} --help')")
            sys.exit(2)
        except click_exceptions.ClickException as error:
            _error(error.format_message())
            sys.exit(error.exit_code)
        except typer.Abort:
            _error("aborted")
            sys.exit(130)
        except FramingError as error:
            _error(str(error))
            sys.exit(1)
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (| head): not an error
            sys.exit(0)
        except Exception as error:  # never a traceback, unless asked for
            if os.environ.get("FRAMING_DEBUG"):
                raise
            _error(f"unexpected {type(error).__name__}: {error} (set FRAMING_DEBUG=1 to see where)")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    help="Tag sentences of immigration-enforcement news as enforcement, rights or neutral, "
    "and score each article's slant.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        from framing import __version__

        typer.echo(f"framing {__version__}")
        raise typer.Exit()


@app.callback()
def _app_options(
    version: Annotated[
        bool, typer.Option("--version", metavar="", help="Show framing's version and exit.", callback=_show_version, is_eager=True)
    ] = False,
) -> None:
    """Tag sentences of immigration-enforcement news as enforcement, rights or neutral,
    and score each article's slant."""


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


class OutputFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(str, enum.Enum):
    table = "table"
    json = "json"


ModelOption = Annotated[
    Optional[Path],
    typer.Option("--model", "-m", help="Model file written by `framing train` (default: the shipped model).", dir_okay=False),
]
MaxBytesOption = Annotated[
    int, typer.Option("--max-bytes", metavar="BYTES", help="Refuse an article larger than this many bytes (nothing beyond it is read).", min=1)
]


@app.command(cls=_Command)
def classify(
    article: Annotated[str, typer.Argument(metavar="ARTICLE", help=f"Article file ({_listed(ARTICLE_SUFFIXES)}), or - for standard input.")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table for people, json or csv for programs.")
    ] = OutputFormat.table,
    model_path: ModelOption = None,
    explain: Annotated[bool, typer.Option("--explain", "-x", help="Show the n-grams that pushed each sentence to its label.", metavar="")] = False,
    top: Annotated[int, typer.Option(metavar="N", help="With --explain: n-grams per sentence.", min=1)] = 4,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    sources: Annotated[
        bool, typer.Option("--sources", "-s", metavar="", help="Under the sentences, a table of who is quoted and the frames they supply (table format).")
    ] = False,
) -> None:
    """Label every sentence of one article and score the article's slant, and say who is quoted."""
    from framing.text import looks_like_english, read_article, read_stream

    if article == "-":
        document = read_stream(sys.stdin.buffer, max_bytes=max_bytes)
    else:
        document = read_article(article, max_bytes=max_bytes)
    if not looks_like_english(document.text):
        _warn(f"{article if article != '-' else 'the input'} does not look like English; the model was trained on "
              "English news, so its labels mean little here")
    from framing.scoring import explain_article, score_article

    model = _load_model(model_path)
    result = score_article(model, document.text)
    evidence = explain_article(model, result, top=top) if explain else None
    if output_format is OutputFormat.json:
        payload = {"path": article, **result.to_dict(evidence)}
        # Indented for a person at a terminal; one line for a program reading a pipe.
        print(json.dumps(payload, ensure_ascii=False, indent=2 if sys.stdout.isatty() else None))
    elif output_format is OutputFormat.csv:
        _write_sentence_csv(article, result, evidence)
    else:
        _print_article_table(document.title, result, evidence, sources=sources)


@app.command(cls=_Command)
def train(
    corpus: Annotated[Path, typer.Option(help="Folder holding train.csv (and test.csv, articles/).", file_okay=False)] = Path("corpus"),
    out: Annotated[Path, typer.Option(help=f"Folder to write {MODEL_FILENAME} and its card {CARD_FILENAME} into.", file_okay=False)] = Path("models"),
    extra: Annotated[
        Optional[Path], typer.Option(help="A labels file from `framing annotate`: its sentences join the training data (write the model to another --out).", dir_okay=False, exists=True)
    ] = None,
    extra_weight: Annotated[
        Optional[float], typer.Option(metavar="W", help="Weight of each --extra sentence (a corpus sentence in an article weighs 1); chosen by cross-validation on the file when not given.", min=0.0)
    ] = None,
) -> None:
    """Rebuild the model from the corpus: choose hyper-parameters by cross-validation, fit, measure."""
    import time

    from rich.console import Console

    from framing.training import train as train_model

    console = Console(stderr=True)
    started = time.perf_counter()
    with console.status("cross-validating candidate settings...") as status:

        def show(candidate) -> None:
            line = (
                f"cross-validated context weight {candidate.context_weight}, class weight "
                f"{candidate.class_weight}, C={candidate.C}: macro-F1 {candidate.mean:.3f}"
            )
            # A status line is invisible in a log file: there, one line per candidate.
            status.update(line) if console.is_terminal else console.print(line)

        card = train_model(corpus, out, extra=extra, extra_weight=extra_weight, on_candidate=show)
    chosen = card["selection"]["chosen"]
    console.print(
        f"chose context weight {chosen['context_weight']}, class weight {chosen['class_weight']}, C={chosen['C']}: "
        f"cross-validated macro-F1 {chosen['macro_f1_mean']:.3f} ± {chosen['macro_f1_std']:.3f}"
    )
    calibration = card.get("calibration", {})
    if "ece_held_out_writers" in calibration:
        ece = calibration["ece_held_out_writers"]
        console.print(
            f"temperature {calibration['temperature']:.2f} (calibration error on {calibration['writers']} writers "
            f"held out: {ece['before']:.3f} before, {ece['after']:.3f} after)"
        )
    evaluation = card.get("evaluation", {})
    if "sentences" in evaluation:
        keywords = evaluation.get("baselines", {}).get("keywords", {}).get("macro_f1")
        console.print(
            f"test macro-F1 {evaluation['sentences']['macro_f1']:.3f} on {evaluation['sentences']['n']} held-out sentences"
            + (f" (keyword baseline {keywords:.3f})" if keywords is not None else "")
        )
    if "articles" in evaluation:
        console.print(
            f"article slant Spearman {evaluation['articles']['spearman']:.3f} on {evaluation['articles']['n_articles']} articles"
        )
    console.print(f"wrote {Path(out) / MODEL_FILENAME} and its card {CARD_FILENAME} in {time.perf_counter() - started:.1f} s")


@app.command(cls=_Command)
def evaluate(
    model_path: ModelOption = None,
    data: Annotated[Optional[Path], typer.Option(help="Labeled CSV with text,label columns (default: corpus/test.csv).", dir_okay=False)] = None,
    train_data: Annotated[Optional[Path], typer.Option("--train", help="Training CSV to fit the baselines on (default: corpus/train.csv, when it exists).", dir_okay=False)] = None,
    articles: Annotated[Optional[Path], typer.Option(help="Folder with labels.csv and the article files (default: corpus/articles, when it exists).", file_okay=False)] = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="table or json.")] = ReportFormat.table,
) -> None:
    """Measure a model on labeled sentences beside baselines, and on whole labeled articles."""
    from framing.corpus import read_labeled
    from framing.evaluation import evaluate as evaluate_model

    model = _load_model(model_path)
    data = data or Path("corpus") / "test.csv"
    train_data = train_data or Path("corpus") / "train.csv"
    articles = articles or Path("corpus") / "articles"
    report = evaluate_model(
        model,
        read_labeled(data, check=False),
        train=read_labeled(train_data, check=False) if train_data.exists() else None,
        articles_dir=articles,
    )
    report = {"data": str(data), **report}
    if output_format is ReportFormat.json:
        print(json.dumps(report, indent=2))
    else:
        _print_evaluation(report, model.labels)


@app.command(cls=_Command)
def features(
    top: Annotated[int, typer.Option("--top", "-n", metavar="N", help="How many n-grams per label.", min=1)] = 20,
    model_path: ModelOption = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="table or json.")] = ReportFormat.table,
) -> None:
    """The model's strongest n-grams for each label, from its coefficients."""
    model = _load_model(model_path)
    strongest = model.top_features(top)
    if output_format is ReportFormat.json:
        print(json.dumps({label: [{"feature": f, "weight": w} for f, w in pairs] for label, pairs in strongest.items()}, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="strongest n-grams per label (coefficient minus the other labels' mean)", title_justify="left")
    table.add_column("#", justify="right", style="dim")
    for label in strongest:
        table.add_column(f"[{LABEL_STYLES.get(label, '')}]{label}[/]")
        table.add_column("weight", justify="right", style="dim")
    for rank in range(top):
        cells = [str(rank + 1)]
        for pairs in strongest.values():
            feature, weight = pairs[rank] if rank < len(pairs) else ("", 0.0)
            cells += [feature, f"{weight:.2f}" if feature else ""]
        table.add_row(*cells)
    Console().print(table)


def _check_output_suffix(value: Optional[Path]) -> Optional[Path]:
    if value is not None and value.suffix.lower() not in SCORES_SUFFIXES:
        raise typer.BadParameter(f"unknown extension {value.suffix!r}: use {' or '.join(SCORES_SUFFIXES)}")
    return _check_writable(value)


def _check_writable(value: Optional[Path]) -> Optional[Path]:
    """Refuse, before any work, an output whose folder is missing or cannot be written."""
    if value is None:
        return value
    parent = value.parent if str(value.parent) else Path(".")
    if not parent.is_dir():
        raise typer.BadParameter(f"no folder {parent} to write {value.name} into")
    if not os.access(parent, os.W_OK | os.X_OK) or (value.exists() and not os.access(value, os.W_OK)):
        raise typer.BadParameter(f"cannot write {value}: permission denied")
    return value


@app.command(cls=_Command)
def score(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Folder of articles, walked recursively.", exists=True, file_okay=False)],
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help=f"Write rows to this {' or '.join(SCORES_SUFFIXES)} file (resumes it if it exists); stdout as JSONL without it.", dir_okay=False, callback=_check_output_suffix),
    ] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N", help=f"Worker processes (default: all cores; one process for under {SMALL_RUN_FILES:,} files).", min=1)] = None,
    glob: Annotated[
        Optional[list[str]], typer.Option("--glob", metavar="PATTERN", help=f"File-name pattern to score; repeat for several (default: {' '.join(DEFAULT_PATTERNS)}).")
    ] = None,
    max_bytes: Annotated[int, typer.Option(metavar="BYTES", help="Files larger than this many bytes become error rows.", min=1)] = DEFAULT_MAX_BYTES,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Start the output afresh instead of resuming it.", metavar="")] = False,
    retry_errors: Annotated[
        bool, typer.Option("--retry-errors", metavar="", help="When resuming, score again the files that have an error row.")
    ] = False,
    model_path: ModelOption = None,
    dask_scheduler: Annotated[
        Optional[str], typer.Option(metavar="ADDRESS", help="Run on this Dask cluster (tcp://host:8786); needs pip install 'framing\\[dask]'.")
    ] = None,
) -> None:
    """Score every article in a folder: one row per file, resumable, bad files become error rows."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from framing.batch import DEFAULT_PATTERNS, Summary, count_pending, score_folder

    patterns = tuple(glob) if glob else DEFAULT_PATTERNS
    pending = count_pending(folder, output, patterns=patterns, overwrite=overwrite, retry_errors=retry_errors)
    if not pending.total:
        raise FramingError(f"no files matched {' '.join(patterns)} in {folder}")
    total, already = pending.total, pending.already
    console = Console(stderr=True)
    summary = Summary()
    rows = score_folder(
        folder, output, jobs=jobs, patterns=patterns, max_bytes=max_bytes, overwrite=overwrite,
        retry_errors=retry_errors, model=_load_model(model_path), dask_scheduler=dask_scheduler,
    )
    progress = Progress(
        TextColumn("scoring"), BarColumn(), MofNCompleteColumn(),
        TextColumn("[progress.data.speed]{task.fields[rate]}"),
        TimeRemainingColumn(), console=console, disable=not console.is_terminal, transient=False,
    )
    with progress:
        task = progress.add_task("score", total=total, completed=already, rate="")
        for row in rows:
            if output is None:
                print(row.to_json(), flush=True)
            summary.add(row)
            progress.advance(task)
            speed = progress.tasks[0].speed
            if speed:
                progress.update(task, rate=f"{speed:,.0f} articles/s")
    _print_summary(console, summary, already, output)
    if pending.failed:
        console.print(f"{output} holds {_plural(pending.failed, 'error row')} from before (--retry-errors scores them again)", highlight=False)
    if summary.failed or pending.failed:
        raise typer.Exit(1)


def _print_summary(console, summary, already: int, output: Optional[Path]) -> None:
    from framing.slant import format_slant

    skipped = f", {already} already in {output}" if already else ""
    console.print(f"scored {_plural(summary.scored, 'file')}, {summary.failed} failed{skipped}")
    if summary.reasons:
        console.print("failures: " + ", ".join(f"{reason} {count}" for reason, count in summary.reasons.most_common()))
    if summary.warnings:
        console.print("warnings (scored, see the warning field): "
                      + ", ".join(f"{warning} {count}" for warning, count in summary.warnings.most_common()), highlight=False)
    if summary.mean_slant is not None:
        console.print(f"mean slant {format_slant(summary.mean_slant)}; slants:")
        for line in summary.histogram():
            console.print(f"  {line}", highlight=False)


@app.command(cls=_Command)
def report(
    path: Annotated[Path, typer.Argument(metavar="PATH", help=f"An article file, a folder of articles, or a {'/'.join(SCORES_SUFFIXES)} scores file written by `framing score`.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write (replaced only once the report is complete).", dir_okay=False, callback=_check_writable)],
    model_path: ModelOption = None,
    details: Annotated[
        int, typer.Option("--details", metavar="N", help="For a folder: how many articles to show with their highlighted text, half from each end of the table (0 for none).", min=0)
    ] = DEFAULT_DETAILS,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", metavar="", help="For a scores file: leave out rows that are not framing rows (the report says which) instead of refusing the file.")
    ] = False,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Write a self-contained HTML report: highlighted sentences, slant gauges, histogram, outlets."""
    from rich.console import Console

    from framing.report import build_report, render_html, write_report
    from framing.scores import is_scores_file

    _check_report_output(path, output)

    console = Console(stderr=True)
    model = None if is_scores_file(path) else _load_model(model_path)
    scored = 0
    with console.status("scoring...") as status:

        def show(row) -> None:
            nonlocal scored
            scored += 1
            status.update(f"scored {scored:,} files")

        data = build_report(path, model, details=details, skip_bad_rows=skip_bad_rows, max_bytes=max_bytes, on_row=show)
    write_report(output, render_html(data))
    count = f": {_plural(data.summary.files, 'file')}, {len(data.articles):,} shown in detail" if data.summary else ""
    if data.skipped_rows:
        count += f"; {_plural(data.skipped_rows, 'bad row')} left out"
    console.print(f"wrote {output}{count}", highlight=False)


def _check_report_output(source: Path, output: Path) -> None:
    """The report must not replace what it reads, nor land in the folder it reads."""
    target = output.resolve()
    if source.exists() and target == source.resolve():
        raise typer.BadParameter(f"{output} is the file the report reads: choose another output", param_hint="'--output'")
    if source.is_dir() and target.is_relative_to(source.resolve()):
        raise typer.BadParameter(
            f"{output} is inside {source}, the folder the report reads: write it elsewhere", param_hint="'--output'"
        )


class Strategy(str, enum.Enum):
    uncertain = "uncertain"
    random = "random"


@app.command(cls=_Command)
def annotate(
    source: Annotated[Path, typer.Argument(metavar="SOURCE", help="A folder of articles (as `framing score` reads it) or one article.", exists=True)],
    labels: Annotated[Path, typer.Option("--labels", "-l", help="CSV file that keeps every answer (created if missing; a session resumes it).", dir_okay=False, callback=_check_writable)],
    model_path: ModelOption = None,
    budget: Annotated[int, typer.Option(metavar="N", help="Stop after this many answers in this session.", min=1)] = 200,
    strategy: Annotated[Strategy, typer.Option(help="uncertain: the sentences the model is least sure of first; random: a seeded shuffle.")] = Strategy.uncertain,
    seed: Annotated[int, typer.Option(metavar="N", help="Seed of the shuffle and of tie-breaking.")] = 0,
    corpus: Annotated[
        Optional[Path], typer.Option(help="Corpus folder the background retraining and the comparison train on (default: the project's corpus/).", file_okay=False, exists=True)
    ] = None,
    compare_on_quit: Annotated[
        bool, typer.Option("--compare/--no-compare", metavar="", help="On quit, compare the shipped and an adapted model on your labels by cross-validation (a few fits).")
    ] = True,
) -> None:
    """Label the sentences of your own collection that teach the model most, to adapt it with `train --extra`."""
    from rich.console import Console
    from rich.markup import escape

    from framing.annotate import (
        KEYS, MIN_LABELS_TO_COMPARE, RETRAIN_EVERY, LabelFile, Retrainer, candidates, compare, corpus_sentences,
        default_corpus_dir, rerank,
    )

    console = Console(stderr=True, highlight=False)
    store = LabelFile(labels)
    corpus_dir = corpus if corpus is not None else default_corpus_dir()
    corpus_texts = corpus_sentences(corpus_dir)
    model = _load_model(model_path)
    retrainer = Retrainer(corpus_dir, model.get_params()) if (corpus_dir / "train.csv").exists() else None
    with console.status("scoring the collection..."):
        queue = candidates(source, model, exclude_ids=store.ids, exclude_texts=corpus_texts,
                           strategy=strategy.value, seed=seed)
    if not queue:
        raise FramingError(f"no sentence left to ask about in {source} (all are labeled or in the corpus)")
    interactive = sys.stdin.isatty()
    keys = "e enforcement · r rights · n neutral · s skip · u undo · ? codebook · q quit"
    console.print(f"{len(queue):,} sentences to choose from; {len(store.rows)} already labeled in {labels}. Keys: {keys}")
    asked: list = []
    answered = 0
    index = 0
    while index < len(queue) and answered < budget:
        ready = retrainer.take() if retrainer is not None else None
        if ready is not None:  # a fresher model: ask the rest in its order
            queue = queue[:index] + rerank(queue[index:], ready[0], strategy.value, seed)
            console.print(f"[dim]re-ranked with a model adapted on {ready[1]} of your labels[/]")
        candidate = queue[index]
        console.rule(escape(candidate.title or candidate.article))
        if candidate.previous:
            console.print(f"[dim]{escape(candidate.previous)}[/]")
        console.print(f"[bold]{escape(candidate.text)}[/]")
        if candidate.next:
            console.print(f"[dim]{escape(candidate.next)}[/]")
        style = LABEL_STYLES.get(candidate.model_label, "")
        console.print(f"model: [{style}]{candidate.model_label}[/] {candidate.model_probability:.2f}   ({len(store.rows)} labeled)  key? ", end="")
        key = _read_key(interactive)
        if key is None or key == "q":
            break
        if key in KEYS:
            store.add(candidate, KEYS[key], source=str(source), strategy=strategy.value)
            asked.append(index)
            answered += 1
            index += 1
            if retrainer is not None and answered % RETRAIN_EVERY == 0:
                retrainer.start(store.rows)  # in the background; the next question does not wait
        elif key == "s":
            index += 1
        elif key == "u":
            undone = store.undo()
            if undone is None or not asked:
                console.print("nothing to undo")
            else:
                index = asked.pop()
                answered -= 1
                console.print(f"undone: {escape(undone['text'][:70])} ({undone['label']})")
        elif key == "?":
            console.print(_CODEBOOK_SUMMARY)
        else:
            console.print(f"unknown key {key!r}: {keys}")
    counts = store.counts()
    console.print(
        f"{len(store.rows)} labeled in {labels} ("
        + ", ".join(f"{label} {count}" for label, count in counts.items()) + f"); {answered} in this session."
    )
    if retrainer is not None and retrainer.error:
        _warn(retrainer.error)
    if compare_on_quit and retrainer is not None:
        if len(store.rows) < MIN_LABELS_TO_COMPARE:
            console.print(f"label at least {MIN_LABELS_TO_COMPARE} sentences to compare the shipped and an adapted model")
        else:
            with console.status("comparing the shipped and an adapted model on your labels..."):
                result = compare(corpus_dir, model, store.rows)
            console.print(
                f"on your {result['sentences']} labeled sentences ({result['folds']}-fold cross-validation, by article): "
                f"shipped model macro-F1 {result['shipped']:.3f}, adapted {result['adapted']:.3f}"
            )
    console.print(f"adapt the model: framing train --extra {labels} --out models-adapted  (then --model models-adapted/{MODEL_FILENAME})")


_CODEBOOK_SUMMARY = (
    "enforcement: crime, safety, security, the rule of law as reasons to detain or deport (danger chosen or stressed).\n"
    "rights: due process, harm, family, fairness, community trust, limits on government power.\n"
    "neutral: facts, counts, procedure, attribution, background, page furniture; if only a trained eye would see a push, neutral.\n"
    "Label the frame the sentence carries in its place in the article, whoever speaks."
)


def _read_key(interactive: bool) -> Optional[str]:
    """One answer: a single key at a terminal; one line when stdin is a pipe (None at its end)."""
    if interactive:
        key = typer.getchar()
        typer.echo(key, err=True)
        return key.lower()
    line = sys.stdin.readline()
    if not line:
        return None
    typer.echo(line.strip(), err=True)
    return line.strip().lower()[:1] if line.strip() else ""


@app.command(cls=_Command)
def agreement(
    first: Annotated[Path, typer.Argument(metavar="FIRST", help="One annotator's labels file.", exists=True, dir_okay=False)],
    second: Annotated[Path, typer.Argument(metavar="SECOND", help="Another annotator's labels file for the same source.", exists=True, dir_okay=False)],
) -> None:
    """Compare two annotators' labels: Cohen's kappa, the confusion table and the sentences they disagree on."""
    from rich.console import Console
    from rich.markup import escape

    from framing.annotate import agreement as compare
    from framing.labels import LABELS

    result = compare(first, second)
    console = Console()
    console.print(
        f"{result['sentences']} sentences labeled in both: agreement {result['agreement']:.3f}, "
        f"Cohen's kappa [bold]{result['kappa']:.3f}[/]"
    )
    console.print(_confusion_table(f"rows: {escape(first.name)}, columns: {escape(second.name)}", LABELS, result["confusion"]))
    for item in result["disagreements"]:
        console.print(f"- {escape(item['text'])}  [{item['first']} / {item['second']}]", highlight=False)


# --- helpers: loading and output ----------------------------------------------


def _load_model(path: Optional[Path]):
    from framing.model import load_model

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = load_model(path)
    for warning in caught:
        _warn(str(warning.message))
    return model


def _write_sentence_csv(path: str, result, evidence=None) -> None:
    labels = list(next(iter(result.sentences)).probabilities)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(
        ["path", "sentence", "text", "label", "probability", *(f"p_{label}" for label in labels),
         "article_slant", "article_slant_low", "article_slant_high", "quote", "speaker",
         *(["evidence"] if evidence else [])]
    )
    low, high = result.slant_interval
    for index, sentence in enumerate(result.sentences, start=1):
        writer.writerow(
            [path, index, sentence.text, sentence.label, f"{sentence.probability:.4f}",
             *(f"{sentence.probabilities[label]:.4f}" for label in labels),
             f"{result.slant:.4f}", f"{low:.4f}", f"{high:.4f}", "yes" if sentence.quote else "no",
             sentence.speaker or "", *([_evidence_text(evidence[index - 1])] if evidence else [])]
        )


def _evidence_text(pairs) -> str:
    return "; ".join(f"{feature} {weight:+.2f}" for feature, weight in pairs)


def _print_article_table(title: Optional[str], result, evidence=None, sources: bool = False) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    table = Table(title=escape(title) if title else None, title_justify="left", show_lines=False, expand=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("label")
    table.add_column("p", justify="right")
    table.add_column("sentence", overflow="fold", ratio=3)
    quoting = any(sentence.quote for sentence in result.sentences)
    if quoting:
        table.add_column("speaker", overflow="fold", ratio=1, style="italic")
    if evidence is not None:
        table.add_column("evidence (n-gram: push toward label vs runner-up)", overflow="fold", ratio=1, style="dim")
    for index, sentence in enumerate(result.sentences, start=1):
        style = LABEL_STYLES.get(sentence.label, "")
        cells = [str(index), f"[{style}]{sentence.label}[/]", f"{sentence.probability:.2f}", escape(sentence.text)]
        if quoting:
            cells.append(escape(sentence.speaker or ("(unattributed quote)" if sentence.quote else "")))
        if evidence is not None:
            cells.append(escape(_evidence_text(evidence[index - 1])))
        table.add_row(*cells)
    console.print(table)
    from framing.slant import describe_slant, format_slant

    low, high = result.slant_interval
    console.print(
        f"[bold]slant {format_slant(result.slant)}[/]  95% interval [{format_slant(low)}, {format_slant(high)}]  "
        f"({describe_slant(result.slant, len(result.sentences))}; + leans enforcement, - leans rights)"
    )
    shares = "  ".join(
        f"[{LABEL_STYLES.get(label, '')}]{label}[/] {share:.0%}" for label, share in result.shares.items()
    )
    console.print(f"{_plural(len(result.sentences), 'sentence')}: {shares}")
    voices = result.voices
    if voices.get("quoted", {}).get("sentences"):
        console.print(
            f"reporter's voice: {_plural(voices['reporter']['sentences'], 'sentence')}, slant "
            f"{_slant_or_dash(voices['reporter']['slant'])};  quoted: {_plural(voices['quoted']['sentences'], 'sentence')}, "
            f"slant {_slant_or_dash(voices['quoted']['slant'])}",
            highlight=False,
        )
    if sources:
        _print_sources(console, result.sources)


def _slant_or_dash(value) -> str:
    from framing.slant import format_slant

    return "–" if value is None else format_slant(value)


def _print_sources(console, sources) -> None:
    from rich.markup import escape
    from rich.table import Table

    if not sources:
        console.print("sources: no direct quotation is attributed in this article")
        return
    table = Table(title="sources: who is quoted, and the frames their quotations carry", title_justify="left")
    for column in ("source", "role", "sentences", "enforcement", "rights", "neutral", "slant"):
        table.add_column(column, justify="right" if column not in ("source", "role") else "left", overflow="fold")
    for source in sources:
        shares = source["shares"]
        table.add_row(
            escape(source["speaker"]), escape(source["role"] or ""), str(source["sentences"]),
            *(f"{shares.get(label, 0.0):.0%}" for label in ("enforcement", "rights", "neutral")),
            _slant_or_dash(source["slant"]),
        )
    console.print(table)




def _print_evaluation(report: dict, labels) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    scores = report["sentences"]
    compared = Table(title=f"{report['data']}: {scores['n']} sentences", title_justify="left")
    for column in ("", "accuracy", "macro-F1", *(f"F1 {label}" for label in labels)):
        compared.add_column(column, justify="left" if not column else "right")
    rows = {"framing model": scores, **{f"baseline: {name}": value for name, value in report.get("baselines", {}).items()}}
    for name, row in rows.items():
        compared.add_row(
            name, f"{row['accuracy']:.3f}", f"{row['macro_f1']:.3f}",
            *(f"{row['per_class'][label]['f1']:.3f}" for label in labels),
            style="bold" if name == "framing model" else None,
        )
    console.print(compared)
    table = Table(title="per label", title_justify="left")
    for column in ("", "label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column in ("", "label") else "right")
    for name, row in rows.items():
        for number, label in enumerate(labels):
            cell = row["per_class"][label]
            table.add_row(
                name if number == 0 else "", label, f"{cell['precision']:.3f}", f"{cell['recall']:.3f}",
                f"{cell['f1']:.3f}", str(cell["support"]), end_section=number == len(labels) - 1,
                style="bold" if name == "framing model" else None,
            )
    console.print(table)
    console.print(_confusion_table("model confusion: rows true, columns predicted", labels, scores["confusion"]))
    console.print(f"expected calibration error (10 bins): {scores['ece']:.3f}")
    if "articles" in report:
        articles = report["articles"]
        console.print(
            f"articles: {articles['n_articles']}, slant Spearman [bold]{articles['spearman']:.3f}[/] "
            f"with hand slant, mean absolute error {articles['mean_absolute_error']:.3f}; "
            f"their {articles['sentences']['n']} sentences: macro-F1 {articles['sentences']['macro_f1']:.3f} "
            f"(keywords {articles['keywords_sentences']['macro_f1']:.3f})"
        )
    if "voices" in report:
        voices = report["voices"]
        quote = voices["quote"]
        line = (
            f"quotations in the articles: {voices['quoted_sentences']} of {voices['sentences']} sentences; found with "
            f"precision {quote['precision']:.3f}, recall {quote['recall']:.3f} (F1 [bold]{quote['f1']:.3f}[/]); "
            f"speaker right on {voices['speaker_accuracy']:.3f} of quoted sentences; "
            f"{voices['reporter_without_speaker']:.3f} of the reporter's sentences given no speaker"
        )
        if "agreement" in voices:
            agreement = voices["agreement"]
            line += (
                f" (two annotators, {agreement['sentences']} sentences: quote {agreement['quote']:.3f}, "
                f"speaker {agreement['speaker']:.3f})"
            )
        console.print(line)


def _confusion_table(title: str, labels, matrix):
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("")
    for label in labels:
        table.add_column(label, justify="right")
    for label, row in zip(labels, matrix):
        table.add_row(label, *(str(value) for value in row))
    return table


def _error(message: str) -> None:
    typer.echo(f"framing: error: {_printable(message)}", err=True)


def _warn(message: str) -> None:
    typer.echo(f"framing: warning: {_printable(message)}", err=True)


def _printable(text: str) -> str:
    """A file name that is not valid UTF-8 (lone surrogates in Python) shown as \\xNN escapes."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def main() -> None:
    """Console-script entry point."""
    app()
