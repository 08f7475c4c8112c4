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
from typer.core import TyperGroup

from framing.errors import FramingError

try:  # typer 0.29 and later carry their own copy of click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_exceptions

# Colours from the Okabe-Ito palette, which colour-blind readers can tell apart.
LABEL_STYLES = {"enforcement": "bold #E69F00", "rights": "bold #56B4E9", "neutral": "dim"}


class _OneLineErrors(TyperGroup):
    """Runs the app so that every failure is one line on stderr with the right exit code."""

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


@app.command()
def classify(
    article: Annotated[str, typer.Argument(help="Article file (.txt, .md, .html, .htm), or - for standard input.")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table for people, json or csv for programs.")
    ] = OutputFormat.table,
    model_path: ModelOption = None,
) -> None:
    """Label every sentence of one article and score the article's slant."""
    from framing.text import parse_article, read_article

    if article == "-":
        data = sys.stdin.buffer.read()
        document = parse_article(data, suffix=".html" if _looks_like_html(data) else ".txt")
    else:
        document = read_article(article)
    model = _load_model(model_path)
    result = model.score(document.text)
    if output_format is OutputFormat.json:
        print(json.dumps({"path": article, **result.to_dict()}, ensure_ascii=False))
    elif output_format is OutputFormat.csv:
        _write_sentence_csv(article, result)
    else:
        _print_article_table(document.title, result)


@app.command()
def train(
    corpus: Annotated[Path, typer.Option(help="Folder holding train.csv (and test.csv, articles/).", file_okay=False)] = Path("corpus"),
    out: Annotated[Path, typer.Option(help="Folder to write framing.joblib and framing.json into.", file_okay=False)] = Path("models"),
) -> None:
    """Rebuild the model from the corpus: choose hyper-parameters by cross-validation, fit, measure."""
    import time

    from rich.console import Console

    from framing.training import train as train_model

    console = Console(stderr=True)
    started = time.perf_counter()
    with console.status("cross-validating candidate settings...") as status:

        def show(candidate) -> None:
            status.update(
                f"cross-validated {candidate.features} {candidate.ngram_range} C={candidate.C}: "
                f"macro-F1 {candidate.mean:.3f}"
            )

        card = train_model(corpus, out, on_candidate=show)
    best = card["selection"]["best"]
    console.print(
        f"chose {best['features']} n-grams {tuple(best['ngram_range'])}, C={best['C']}: "
        f"cross-validated macro-F1 {best['macro_f1_mean']:.3f} ± {best['macro_f1_std']:.3f} "
        f"(best word+char {card['selection']['best_word_char']['macro_f1_mean']:.3f})"
    )
    if "test" in card:
        console.print(f"test macro-F1 {card['test']['macro_f1']:.3f} on {card['test']['n']} held-out sentences")
    if "articles" in card:
        console.print(f"article slant Spearman {card['articles']['spearman']:.3f} on {card['articles']['n_articles']} articles")
    console.print(f"wrote {Path(out) / 'framing.joblib'} and its card framing.json in {time.perf_counter() - started:.1f} s")


@app.command()
def evaluate(
    model_path: ModelOption = None,
    data: Annotated[Optional[Path], typer.Option(help="Labeled CSV with text,label columns (default: corpus/test.csv).", dir_okay=False)] = None,
    articles: Annotated[Optional[Path], typer.Option(help="Folder with labels.csv and the article files (default: corpus/articles, when it exists).", file_okay=False)] = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="table or json.")] = ReportFormat.table,
) -> None:
    """Measure a model on labeled sentences (and whole labeled articles)."""
    from framing.corpus import read_article_labels, read_labeled
    from framing.evaluation import evaluate_articles, evaluate_sentences

    model = _load_model(model_path)
    data = data or Path("corpus") / "test.csv"
    report = {"data": str(data), "sentences": evaluate_sentences(model, read_labeled(data, check=False))}
    articles = articles or (Path("corpus") / "articles")
    if (articles / "labels.csv").exists():
        report["articles"] = evaluate_articles(model, read_article_labels(articles / "labels.csv"), articles)
    if output_format is ReportFormat.json:
        print(json.dumps(report, indent=2))
    else:
        _print_evaluation(report, model.labels)


# --- helpers: loading and output ----------------------------------------------


def _load_model(path: Optional[Path]):
    from framing.model import load_model

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = load_model(path)
    for warning in caught:
        _warn(str(warning.message))
    return model


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<p>", b"<div"))


def _write_sentence_csv(path: str, result) -> None:
    labels = list(next(iter(result.sentences)).probabilities)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(
        ["path", "sentence", "text", "label", "probability", *(f"p_{label}" for label in labels),
         "article_slant", "article_slant_low", "article_slant_high"]
    )
    low, high = result.slant_interval
    for index, sentence in enumerate(result.sentences, start=1):
        writer.writerow(
            [path, index, sentence.text, sentence.label, f"{sentence.probability:.4f}",
             *(f"{sentence.probabilities[label]:.4f}" for label in labels),
             f"{result.slant:.4f}", f"{low:.4f}", f"{high:.4f}"]
        )


def _print_article_table(title: Optional[str], result) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("label")
    table.add_column("p", justify="right")
    table.add_column("sentence", overflow="fold")
    for index, sentence in enumerate(result.sentences, start=1):
        style = LABEL_STYLES.get(sentence.label, "")
        table.add_row(str(index), f"[{style}]{sentence.label}[/]", f"{sentence.probability:.2f}", sentence.text)
    console.print(table)
    low, high = result.slant_interval
    console.print(
        f"[bold]slant {result.slant:+.3f}[/]  95% interval [{low:+.3f}, {high:+.3f}]  "
        f"({describe_slant(result.slant)}; + leans enforcement, - leans rights)"
    )
    shares = "  ".join(
        f"[{LABEL_STYLES.get(label, '')}]{label}[/] {share:.0%}" for label, share in result.shares.items()
    )
    console.print(f"{len(result.sentences)} sentences: {shares}")


def describe_slant(slant: float) -> str:
    """A few words for a slant value, for people reading a table."""
    if slant >= 0.30:
        return "strongly enforcement"
    if slant >= 0.10:
        return "leans enforcement"
    if slant > -0.10:
        return "balanced or neutral"
    if slant > -0.30:
        return "leans rights"
    return "strongly rights"


def _print_evaluation(report: dict, labels) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    scores = report["sentences"]
    table = Table(title=f"{report['data']}: {scores['n']} sentences", title_justify="left")
    for column in ("label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label in labels:
        row = scores["per_class"][label]
        table.add_row(label, f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}", str(row["support"]))
    console.print(table)
    console.print(
        f"macro-F1 [bold]{scores['macro_f1']:.3f}[/]  accuracy {scores['accuracy']:.3f}  "
        f"expected calibration error {scores['ece']:.3f}"
    )
    matrix = Table(title="confusion (rows: true, columns: predicted)", title_justify="left")
    matrix.add_column("")
    for label in labels:
        matrix.add_column(label, justify="right")
    for label, row in zip(labels, scores["confusion"]):
        matrix.add_row(label, *(str(value) for value in row))
    console.print(matrix)
    if "articles" in report:
        articles = report["articles"]
        console.print(
            f"articles: {articles['n_articles']}, slant Spearman [bold]{articles['spearman']:.3f}[/] "
            f"with hand slant, mean absolute error {articles['mean_absolute_error']:.3f}, "
            f"sentence macro-F1 {articles['sentences']['macro_f1']:.3f}"
        )


def _error(message: str) -> None:
    typer.echo(f"framing: error: {message}", err=True)


def _warn(message: str) -> None:
    typer.echo(f"framing: warning: {message}", err=True)


def main() -> None:
    """Console-script entry point."""
    app()
