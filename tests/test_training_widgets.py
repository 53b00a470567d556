"""Training in the reader's browser: the trainer (the quickstart from scratch) and teach (fine-tuning), in Chromium."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import pytest

from tests.bench.shared import read_answers, right_answers
from tests.support.browser import RENDERER_JS, SOFTWARE_RENDERERS
from tests.support.drawings import load, mirrored
from tests.support.site import ROOT
from tests.support.strokes import drawing_set
from tests.support.widget import WIDGET, draw, engine_tensors, open_widget, prediction, select_model, settle, wait_state

pytestmark = pytest.mark.browser
TRAINER = '[data-widget="trainer"]'
TEACH = '[data-widget="teach"]'
CHAPTER = "train-in-browser/"


@pytest.mark.parametrize("backend", ["webgl", "webgpu"])
def test_the_quickstart_trains_on_a_gpu_backend_when_asked_and_learns(page, site_url, backend):
    """WebGL and WebGPU train correctly too (here on SwiftShader, where the automatic choice never picks them)."""
    page.goto(f"{site_url}{CHAPTER}?train-limit=2000&backend={backend}")
    wait_state(page, TRAINER, "idle", timeout=120_000)
    page.select_option(f"{TRAINER} [data-role=epochs]", "1")
    page.click(f"{TRAINER} [data-role=train]")
    wait_state(page, TRAINER, "trained", timeout=300_000)
    assert page.text_content(f"{TRAINER} [data-role=backend]") == backend
    assert "?backend=" in page.text_content(f"{TRAINER} [data-role=backend-why]")
    accuracy = float(page.get_attribute(f"{TRAINER} [data-role=test-accuracy]", "data-value"))
    assert 0.7 < accuracy < 1, accuracy  # 2,000 images, one epoch: it learns
    # The short run is tested on 2,000 test images too, and the page says so.
    assert page.text_content(f"{TRAINER} [data-role=test-count]") == "2,000 MNIST test"
    assert page.get_attribute(TRAINER, "data-leaked-tensors") == "0"


EDITED = {"units": "128", "dropout": "0.1", "optimizer": "rmsprop", "batch-size": "64", "epochs": "1"}


def test_the_quickstart_trains_with_edited_settings_reads_the_pad_and_goes_home_to_keras(page, site_url, tmp_path):
    # A short run: the first 3,000 training images (and of validation and test), one epoch (the full run is in the benchmark).
    page.goto(f"{site_url}{CHAPTER}?train-limit=3000")
    wait_state(page, TRAINER, "idle")
    wait_state(page, WIDGET, "ready")
    code = f"{TRAINER} [data-role=keras-code]"
    assert 'Dense(512, activation="relu")' in page.text_content(code)  # the quickstart's own, until edited
    for role, value in EDITED.items():
        page.select_option(f"{TRAINER} [data-role={role}]", value)
    program = page.text_content(code)
    for line in ('Dense(128, activation="relu")', "Dropout(0.1)", 'optimizer="rmsprop"', "epochs=1, batch_size=64"):
        assert line in program, program
    assert page.is_disabled(f"{TRAINER} [data-role=export-model]")
    page.click(f"{TRAINER} [data-role=train]")
    wait_state(page, TRAINER, "loading-data")
    wait_state(page, TRAINER, "training", timeout=120_000)
    assert page.is_disabled(f"{TRAINER} [data-role=train]") and page.is_enabled(f"{TRAINER} [data-role=stop]")
    assert page.is_disabled(f"{TRAINER} [data-role=units]")
    wait_state(page, TRAINER, "trained", timeout=300_000)
    accuracy = float(page.get_attribute(f"{TRAINER} [data-role=test-accuracy]", "data-value"))
    assert 0.8 < accuracy < 1, accuracy  # 3,000 images, one epoch: well above chance, below the full run
    assert page.evaluate(f"() => document.querySelector('{TRAINER} [data-role=progress]').value") == 1
    assert page.get_attribute(TRAINER, "data-leaked-tensors") == "0"
    assert page.text_content(f"{TRAINER} [data-role=backend]") == page.get_attribute(WIDGET, "data-backend")
    # This machine's WebGL is emulated: training stays on WASM, without timing it, and says so.
    renderer = page.evaluate(RENDERER_JS)
    if SOFTWARE_RENDERERS.search(renderer):
        assert "so it was not timed" in page.text_content(f"{TRAINER} [data-role=backend-why]"), renderer
    # The page's digit pad now reads with the reader's model: most of the stroke set's drawings (which the
    # stock models read right) right, where a model that always gives one answer gets a tenth.
    page.wait_for_function(f"() => document.querySelector('{WIDGET} [data-role=model]').value === 'trained'")
    wait_state(page, WIDGET, "ready")
    drawings = [{"label": digit, "strokes": strokes} for digit, strokes in drawing_set()[::3] + drawing_set()[1::3]]
    answers = read_answers(page, drawings)
    right = sum(right_answers(answers, drawings))
    said = [(d["label"], a["label"]) for d, a in zip(drawings, answers, strict=True)]
    print(f"the trained model read {right} of {len(drawings)} drawings right: {said}")
    assert right >= len(drawings) // 2, said
    # Home to Keras: the two files TF.js downloads, read back by the documented command.
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.click(f"{TRAINER} [data-role=export-model]")
    while len(downloads) < 2:  # events reach the listener only inside Playwright's calls: none is missed
        page.wait_for_event("download", timeout=30_000)
    names = sorted(d.suggested_filename for d in downloads)
    assert names == ["my-mlp.json", "my-mlp.weights.bin"], names
    for d in downloads:
        d.save_as(tmp_path / d.suggested_filename)
    model_json = json.loads((tmp_path / "my-mlp.json").read_text())
    kernels = [w["shape"] for w in model_json["weightsManifest"][0]["weights"] if w["name"].endswith("kernel")]
    assert kernels[0] == [784, 128], kernels
    assert model_json["userDefinedMetadata"]["settings"]["optimizer"] == "rmsprop"
    proc = subprocess.run(
        [sys.executable, "-m", "train.from_browser", str(tmp_path / "my-mlp.json"), "--limit", "3000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = re.search(r"^test accuracy: (0\.\d{4})", proc.stdout, re.MULTILINE)
    assert found, proc.stdout
    # The page scored the same weights on the same images (the first 3,000 of the test set, as the short
    # run's page says), stored in 16 grey levels: within a point.
    assert page.text_content(f"{TRAINER} [data-role=test-count]") == "3,000 MNIST test"
    assert float(found.group(1)) == pytest.approx(accuracy, abs=0.01)
    assert (tmp_path / "my-mlp.h5").is_file()


# The datasets of the trainer's two charts, by label (Chart.js' own record of what it draws).
CHART_LABELS = f"""() => ['loss', 'accuracy'].map((m) =>
  Chart.getChart(document.querySelector('{TRAINER} [data-role=' + m + '-chart]')).data.datasets.map((d) => d.label))"""


def test_stop_ends_training_early_and_training_again_frees_the_first_run(page, site_url):
    page.goto(f"{site_url}{CHAPTER}")
    wait_state(page, TRAINER, "idle")
    wait_state(page, WIDGET, "ready")
    # The charts start as they come into view, before Train: the Python run's curve, and no run yet.
    page.locator(f"{TRAINER} [data-role=loss-chart]").scroll_into_view_if_needed()
    page.wait_for_selector(f'{TRAINER}[data-charts="ready"]')
    assert page.evaluate(CHART_LABELS) == [["Python run: validation"]] * 2
    after_run = []
    for _ in range(2):
        page.click(f"{TRAINER} [data-role=train]")
        wait_state(page, TRAINER, "training", timeout=120_000)
        page.wait_for_function(f"() => document.querySelector('{TRAINER} [data-role=progress]').value > 0.01")
        page.click(f"{TRAINER} [data-role=stop]")
        wait_state(page, TRAINER, "trained", timeout=120_000)
        assert page.inner_text(f"{TRAINER} [data-role=status]").startswith("Stopped")
        assert page.evaluate(f"() => document.querySelector('{TRAINER} [data-role=progress]').value") == 1
        # The page's digit pad now reads with this run's model: the engine holds its weights, and no more.
        page.wait_for_function(f"() => document.querySelector('{WIDGET} [data-role=model]').value === 'trained'")
        wait_state(page, WIDGET, "ready")
        settle(page)
        after_run.append(engine_tensors(page))
    # Each run joins both charts beside the Python run (its batches and its validation points).
    runs = [f"run {k}: {series}" for k in (1, 2) for series in ("batches", "validation")]
    assert page.evaluate(CHART_LABELS) == [["Python run: validation", *runs]] * 2
    # Whatever the first run left behind (its batches, optimizer state, replaced model) shows up as growth.
    assert after_run[1] == after_run[0], after_run


def teach(page, digits: list[dict], per_digit: int) -> None:
    """File ``per_digit`` mirrored drawings of each digit into the teach widget, with the mouse."""
    for d in range(10):
        for drawing in [x for x in digits if x["label"] == d][:per_digit]:
            draw(page, mirrored(drawing), steps=1, root=TEACH)
            page.click(f'{TEACH} [data-role=add-example][data-digit="{d}"]')


def test_fine_tune_on_a_drawn_style_keeps_exports_imports_and_forgets(page, site_url, tmp_path):
    digits, _ = load()
    open_widget(page, site_url + CHAPTER)
    wait_state(page, TEACH, "collecting")
    assert page.is_disabled(f"{TEACH} [data-role=fine-tune]")
    teach(page, digits, 5)
    assert page.get_attribute(TEACH, "data-examples") == "50"
    page.click(f"{TEACH} [data-role=fine-tune]")
    wait_state(page, TEACH, "trained", timeout=300_000)
    assert page.get_attribute(TEACH, "data-leaked-tensors") == "0"
    results = page.locator(f"{TEACH} [data-role=results]")
    before, after = float(results.get_attribute("data-before")), float(results.get_attribute("data-after"))
    assert after > before, (before, after)  # on the held-out mirrored drawings
    assert float(results.get_attribute("data-mnist-after")) > 0.9
    assert "kept in this browser" in page.inner_text(f"{TEACH} [data-role=message]")
    # Every digit widget now offers "Your model" and uses it; the teach widget answers with it.
    page.wait_for_function(f"() => document.querySelector('{WIDGET} [data-role=model]').value === 'mine'")
    assert page.eval_on_selector(f"{TEACH} [data-role=model]", "s => s.value") == "mine"
    # Recomputed from what the page shows, not from the engine's own before/after: mirrored drawings it was
    # not taught, read by the page's pad with the stock model and with the reader's.
    held_out = [
        {"label": d, "strokes": mirrored(x)} for d in range(10) for x in [x for x in digits if x["label"] == d][5:7]
    ]
    right = {}
    for model in ("mnist-cnn", "mine"):
        select_model(page, model)
        right[model] = sum(right_answers(read_answers(page, held_out), held_out))
    print(f"held-out mirrored drawings read right, of {len(held_out)}: {right}")
    assert right["mine"] > right["mnist-cnn"] and right["mine"] >= len(held_out) // 2, right
    # "Your model" goes home as TF.js saves it: the manifest names the weights file, whose size it gives.
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.click(f"{TEACH} [data-role=export-model]")
    while len(downloads) < 2:
        page.wait_for_event("download", timeout=30_000)
    for d in downloads:
        d.save_as(tmp_path / d.suggested_filename)
    manifest = json.loads((tmp_path / "my-cnn.json").read_text())["weightsManifest"][0]
    assert manifest["paths"] == ["./my-cnn.weights.bin"]
    sizes = [4 * math.prod(w["shape"]) for w in manifest["weights"]]
    assert (tmp_path / "my-cnn.weights.bin").stat().st_size == sum(sizes)

    # It persists: after a reload, on another page too.
    page.reload()
    open_widget(page, site_url)
    options = page.eval_on_selector(f"{WIDGET} select[data-role=model]", "s => [...s.options].map(o => o.value)")
    assert "mine" in options
    page.select_option(f"{WIDGET} select[data-role=model]", "mine")
    wait_state(page, WIDGET, "ready")
    draw(page, mirrored(next(d for d in digits if d["label"] == 3)))  # one of the taught examples
    settle(page)
    assert prediction(page)[0] == "3"

    # The reader's examples: export, forget, import back; a bad file changes nothing.
    open_widget(page, site_url + CHAPTER)
    page.wait_for_selector(f'{TEACH}[data-examples="50"]')
    with page.expect_download() as download:
        page.click(f"{TEACH} [data-role=export]")
    exported = tmp_path / "examples.json"
    download.value.save_as(exported)
    assert len(json.loads(exported.read_text())["examples"]) == 50
    page.click(f"{TEACH} [data-role=forget]")
    page.wait_for_selector(f'{TEACH}[data-examples="0"]')
    options = page.eval_on_selector(f"{WIDGET} select[data-role=model]", "s => [...s.options].map(o => o.value)")
    assert "mine" not in options
    page.reload()
    open_widget(page, site_url + CHAPTER)
    wait_state(page, TEACH, "collecting")
    assert page.get_attribute(TEACH, "data-examples") == "0"
    assert "mine" not in page.eval_on_selector(
        f"{WIDGET} select[data-role=model]", "s => [...s.options].map(o => o.value)"
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    page.set_input_files(f"{TEACH} [data-role=import]", str(bad))
    page.wait_for_function(
        f"() => document.querySelector('{TEACH} [data-role=message]').textContent.includes('not saved by')"
    )
    assert page.get_attribute(TEACH, "data-examples") == "0"
    page.set_input_files(f"{TEACH} [data-role=import]", str(exported))
    page.wait_for_selector(f'{TEACH}[data-examples="50"]')
