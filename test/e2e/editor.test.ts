/**
 * What a person sees: the packaged .vsix installed into a real VS Code (code-server 1.100.3)
 * on a copy of examples/, driven through Chromium. Screenshots of each step go to
 * test-results/e2e/ for a reviewer to look at.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { copyOfExamples, ensureCodeServer, Home, launchChromium, packageVersion, ROOT, type CodeServer } from '../harness/codeServer';
import { Workbench } from './workbench';

const SCREENSHOTS = join(ROOT, 'test-results/e2e');

/** The 1-based line of the first line containing `text` in an example file. */
function lineOf(file: string, text: string): number {
  const index = readFileSync(join(ROOT, 'examples', file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.notEqual(index, -1, `'${text}' is in examples/${file}`);
  return index + 1;
}

/**
 * Files the tests open besides the examples. They are written before VS Code starts: Quick
 * Open searches a file index taken when it is first used, so a file written later may be
 * listed in the explorer and still not be found by name.
 */
const SCRATCH_FILES: Record<string, string> = {
  'upsample.py': 'import torch.nn as nn\n\n# input: (1, 16, 8, 8)\nup = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1, bias=False)\n',
  'keras_refused.py': 'from tensorflow.keras import layers\n\nup = layers.Conv2DTranspose(8, 3, strides=2, output_padding=2)\n',
  'large_layer.py': 'import torch.nn as nn\n\n# input: (1, 1, 64, 64)\nup = nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1)\n',
  'tf_refused.py': 'import tensorflow as tf\n\nx = tf.zeros([1, 4, 4, 8])\ny = tf.nn.conv2d_transpose(x, tf.ones([3, 3, 4, 8]), output_shape=[1, 9, 9, 4], strides=2)\n',
  'onnx_refused.py': 'from onnx import helper, TensorProto\n\nX = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 3, 8, 8])\nconv = helper.make_node("Conv", ["X", "W"], ["Y"], kernel_shape=[3, 3], pads=[1, 1])\n',
  'caffe_refused.prototxt': 'name: "Refused"\ninput: "data"\ninput_shape { dim: 1 dim: 6 dim: 8 dim: 8 }\nlayer {\n  name: "conv"\n  type: "Convolution"\n  bottom: "data"\n  top: "conv"\n  convolution_param { num_output: 4 kernel_size: 3 group: 4 }\n}\n',
  'shapes_1d_3d.py': 'import torch.nn as nn\n\n# input: (1, 4, 6)\nconv = nn.Conv1d(4, 8, 3, stride=2, padding=1)\n# input: (1, 4, 3, 4, 4)\nup = nn.ConvTranspose3d(4, 2, 3, stride=2, padding=1)\n',
};

describe('Conv Lens in VS Code (code-server 1.100.3, Chromium)', function () {
  this.timeout(120_000);
  let home: Home;
  let workspace: string;
  let server: CodeServer;
  let browser: Browser;
  let wb: Workbench;

  before(async () => {
    ensureCodeServer();
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    home = new Home();
    home.installExtension(join(ROOT, `conv-lens-${packageVersion()}.vsix`));
    workspace = copyOfExamples();
    for (const [name, text] of Object.entries(SCRATCH_FILES)) writeFileSync(join(workspace, name), text);
    server = await home.start(workspace);
    browser = await launchChromium();
    wb = new Workbench(await browser.newPage({ viewport: { width: 1400, height: 850 } }), SCREENSHOTS);
    await wb.load(server.url());
  });

  afterEach(() => wb.closeAllEditors());

  /** The DCGAN example with the cursor on its second transposed conv and the panel open on it; the panel's first text. */
  async function panelOnDcgan(step: string): Promise<string> {
    await wb.openFile('dcgan_generator.py');
    const line = lineOf('dcgan_generator.py', 'nn.ConvTranspose2d(ngf * 8, ngf * 4');
    await wb.goToLine(line, readFileSync(join(workspace, 'dcgan_generator.py'), 'utf8').split('\n')[line - 1].indexOf('ConvTranspose2d') + 2);
    await wb.runCommand('Conv Lens: Open Visualization');
    return wb.panelText((t) => t.includes('Step 1 of 64'), step);
  }

  after(async () => {
    await browser?.close();
    await server?.stop();
    home?.remove();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('hovering a transposed conv in the DCGAN example shows its output shape first, fed from the input comment', async () => {
    await wb.openFile('dcgan_generator.py');
    const text = await wb.hover(lineOf('dcgan_generator.py', 'nn.ConvTranspose2d(ngf * 8, ngf * 4'), 'ConvTranspose2d');
    await wb.screenshot('dcgan-hover');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (lines[0] !== 'ConvTranspose2d → (N, 256, 8, 8)') await wb.fail('dcgan-hover', 'the hover does not start with the output shape', text);
    assert.ok(lines.includes('for input (N, 512, 4, 4) (the previous layer\'s output)'), text);
    assert.ok(lines.some((l) => l.startsWith('H: (4 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 8')), text);
  });

  it('hovering the U-Net\'s learned upsampling shows the channels halved and the size doubled', async () => {
    await wb.openFile('unet_decoder.py');
    const text = await wb.hover(lineOf('unet_decoder.py', 'self.up = nn.ConvTranspose2d'), 'ConvTranspose2d');
    await wb.screenshot('unet-hover');
    const first = text.split('\n')[0];
    if (first !== 'ConvTranspose2d → (N, ⌊in_channels/2⌋, 2·H, 2·W)') await wb.fail('unet-hover', 'unexpected first line of the hover', text);
  });

  it('the palette offers "Conv Lens: Show Layer Shapes" on a Python file, and it opens the report beside it', async () => {
    await wb.openFile('dcgan_generator.py');
    await wb.runCommand('Conv Lens: Show Layer Shapes');
    const lines = await wb.editorLines('dcgan_generator.py — layer shapes');
    await wb.screenshot('layer-shapes');
    const seen = lines.join('\n');
    if (lines[0] !== 'Conv Lens: layer output shapes in dcgan_generator.py') await wb.fail('layer-shapes', 'the report is not open', seen);
    assert.ok(lines.includes('line 15    ConvTranspose2d  (N, 100, H, W) → (N, 512, H + 3, W + 3)'), seen);
    assert.ok(lines.includes('line 27    ConvTranspose2d  (N, 64, 8·H + 24, 8·W + 24) → (N, 3, 16·H + 48, 16·W + 48)'), seen);
  });

  it('shows each layer\'s output shape as an inlay hint after the call', async () => {
    await wb.openFile('dcgan_generator.py');
    const line = lineOf('dcgan_generator.py', 'nn.ConvTranspose2d(ngf * 8, ngf * 4');
    await wb.goToLine(line);
    const lines = await wb.editorLines('dcgan_generator.py', true);
    await wb.screenshot('inlay-hints');
    const drawn = lines.find((l) => l.includes('nn.ConvTranspose2d(ngf * 8, ngf * 4')) ?? '';
    if (!drawn.includes('bias=False) → (N, 256, 8, 8),')) await wb.fail('inlay-hints', 'no inlay hint with the output shape after the call', lines.join('\n'));
  });

  it('"Set Input Shape…" from the palette gives the file\'s top-level layers a concrete input', async () => {
    await wb.openFile('unet_decoder.py');
    await wb.runCommand('Conv Lens: Set Input Shape…');
    await wb.answerInputBox('1, 64, 16, 16');
    const text = await wb.hover(lineOf('unet_decoder.py', 'head = nn.Conv2d'), 'Conv2d');
    await wb.screenshot('input-shape-hover');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (lines[0] !== 'Conv2d → (1, 2, 16, 16)') await wb.fail('input-shape-hover', 'the hover does not use the file\'s input shape', text);
    assert.equal(lines[1], 'for input (1, 64, 16, 16) (this file\'s input shape)');
    // An empty answer clears it: the next steps see the file as it was.
    await wb.runCommand('Conv Lens: Set Input Shape…');
    await wb.answerInputBox('');
  });

  it('a channel mismatch shows in Problems with PyTorch\'s reason; its quick fix is saved to disk', async () => {
    await wb.openFile('unet_decoder.py');
    const line = lineOf('unet_decoder.py', 'head = nn.Conv2d');
    await wb.goToLine(line);
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.type('  # input: (N, 32, H, W)');
    const expected = 'PyTorch refuses this Conv2d: Given groups=1, weight of size [2, 64, 1, 1], expected input[N, 32, H, W] to have 64 channels, but got 32 channels instead';
    const problems = await wb.problems((rows) => rows.some((r) => r.includes(expected)));
    await wb.screenshot('diagnostic');
    if (!problems.some((p) => p.includes(expected))) await wb.fail('diagnostic', 'the Problems panel does not list the channel mismatch', problems.join('\n'));
    await wb.goToLine(line, readFileSync(join(ROOT, 'examples/unet_decoder.py'), 'utf8').split('\n')[line - 1].indexOf('Conv2d') + 2);
    await wb.quickFix('Set in_channels to 32');
    await wb.save();
    const saved = readFileSync(join(workspace, 'unet_decoder.py'), 'utf8').split('\n')[line - 1];
    assert.equal(saved, 'head = nn.Conv2d(32, 2, kernel_size=1)  # input: (N, 32, H, W)');
    const after = await wb.problems((rows) => !rows.some((r) => r.includes('channel-mismatch')));
    await wb.screenshot('quick-fix-applied');
    if (after.some((r) => r.includes('channel-mismatch'))) await wb.fail('quick-fix-applied', 'the fixed problem is still listed', after.join('\n'));
  });

  it('an edit typed and saved is read back from disk, and the hover answers the new text', async () => {
    await wb.openFile('unet_decoder.py');
    const line = lineOf('unet_decoder.py', 'self.up = nn.ConvTranspose2d');
    await wb.goToLine(line);
    await wb.page.keyboard.press('End');
    // `..., kernel_size=2, stride=2)` becomes `..., kernel_size=2, stride=4)`
    await wb.page.keyboard.press('ArrowLeft');
    await wb.page.keyboard.press('Backspace');
    await wb.page.keyboard.type('4');
    await wb.save();
    const saved = join(workspace, 'unet_decoder.py');
    const onDisk = readFileSync(saved, 'utf8').split('\n')[line - 1];
    if (!onDisk.endsWith('kernel_size=2, stride=4)')) await wb.fail('edit-save', 'the saved line is not the typed one', onDisk);
    const text = await wb.hover(line, 'ConvTranspose2d');
    await wb.screenshot('edited-hover');
    if (text.split('\n')[0] !== 'ConvTranspose2d → (N, ⌊in_channels/2⌋, 4·H − 2, 4·W − 2)') await wb.fail('edited-hover', 'the hover did not follow the edit', text);
  });

  it('"Open Visualization" draws the transposed conv under the cursor beside the editor; it steps, shows numbers, and follows the cursor', async () => {
    const first = await panelOnDcgan('panel-open');
    const lines = first.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    assert.equal(lines[0], 'nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False)');
    assert.equal(lines[1], '(N, 512, 4, 4) → (N, 256, 8, 8) · kernel 4, stride 2 · one channel pair drawn, of 512 in → 256 out');
    // The first output reads the corner of the zero-inserted, padded 4×4 input: one real input.
    assert.ok(lines.includes('Step 1 of 64: output (0, 0) reads 16 kernel taps, 1 of them on real inputs (the others hit inserted zeros or padding).'), first);
    await wb.screenshot('panel-open');

    // Step forward twice with the keyboard, then numbers mode: inputs 1, 2, 3, … and a kernel of ones.
    await wb.panel().locator('.figure').focus();
    await wb.page.keyboard.press('ArrowRight');
    await wb.page.keyboard.press('ArrowRight');
    await wb.panel().locator('vscode-checkbox').click();
    const stepped = await wb.panelText((t) => t.includes('Step 3 of 64'), 'panel-step');
    // Output (0, 2) = x[0][0] + x[0][1] = 1 + 2, as PyTorch's conv_transpose2d gives with a ones kernel.
    assert.ok(stepped.includes('Step 3 of 64: output (0, 2) reads 16 kernel taps, 2 of them on real inputs (the others hit inserted zeros or padding) → 3.'), stepped);
    await wb.screenshot('panel-numbers');

    // The panel follows the cursor to the next layer of the chain (back in the editor: Ctrl+1).
    await wb.page.keyboard.press('Control+1');
    const bn = lineOf('dcgan_generator.py', 'nn.ConvTranspose2d(ngf * 4, ngf * 2');
    await wb.goToLine(bn, readFileSync(join(workspace, 'dcgan_generator.py'), 'utf8').split('\n')[bn - 1].indexOf('ConvTranspose2d') + 2);
    await wb.panelText((t) => t.includes('(N, 256, 8, 8) → (N, 128, 16, 16)'), 'panel-follow');
    await wb.screenshot('panel-follow');
  });

  it('the sliding kernel steps output by output with the arrow key, the text saying which (frames kept for README\'s animation)', async () => {
    await panelOnDcgan('frames-open');
    const figure = wb.panel().locator('.figure');
    await figure.focus();
    for (let step = 1; step <= 16; step++) {
      const text = await wb.panelText((t) => t.includes(`Step ${step} of 64: output (${Math.floor((step - 1) / 8)}, ${(step - 1) % 8})`), `frame-${step}`);
      assert.ok(text.includes(`Step ${step} of 64`), text);
      await figure.screenshot({ path: join(SCREENSHOTS, 'frames', `sliding-${String(step).padStart(2, '0')}.png`) });
      await wb.page.keyboard.press('ArrowRight');
    }
  });

  it('the panel\'s six views draw the DCGAN\'s transposed conv, and the chosen view survives a window reload', async () => {
    await panelOnDcgan('views-open');
    const label = await wb.panel().locator('.figure .diagram').getAttribute('aria-label');
    assert.equal(label, 'transposed convolution: input 4×4, zero-inserted 7×7, padded 11×11, kernel 4×4, stride 1, output 8×8');
    const views: [string, string][] = [
      ['Scatter', 'Step 1 of 16: input (0, 0) stamps the kernel onto 9 output cells'],
      ['Overlap', 'Even overlap: the stride divides the kernel'],
      ['Matrix', 'Step 1 of 64: row 0 is output (0, 0)'],
      ['Compare', 'The full output is 10×10. PyTorch keeps it from 1, 1; TF/Keras SAME from 1, 1.'],
      ['Upsampling family', 'Bed of nails is the transposed conv\'s first step'],
    ];
    for (const [tab, expected] of views) {
      await wb.panel().locator('vscode-button[role="tab"]', { hasText: tab }).click();
      await wb.panelText((t) => t.includes(expected), `view-${tab}`);
      await wb.screenshot(`view-${tab.toLowerCase().replace(/\W+/g, '-')}`);
    }
    // Matrix, step 3, then reload the window: the panel comes back on the same view and step.
    await wb.panel().locator('vscode-button[role="tab"]', { hasText: 'Matrix' }).click();
    await wb.panel().locator('.figure').focus();
    await wb.page.keyboard.press('ArrowRight');
    await wb.page.keyboard.press('ArrowRight');
    await wb.panelText((t) => t.includes('Step 3 of 64: row 2 is output (0, 2)'), 'matrix-step');
    await wb.reload();
    await wb.panelText((t) => t.includes('Step 3 of 64: row 2 is output (0, 2)'), 'restored');
    await wb.screenshot('panel-restored');
  });

  it('editing the panel\'s parameters redraws at once; "Apply to source" writes them into the call, and one undo takes them back', async () => {
    const file = join(workspace, 'upsample.py');
    const original = SCRATCH_FILES['upsample.py'];
    await wb.openFile('upsample.py');
    await wb.goToLine(4, 12);
    await wb.runCommand('Conv Lens: Open Visualization');
    await wb.panelText((t) => t.includes('(1, 16, 8, 8) → (1, 8, 16, 16)'), 'params-open');
    await wb.panel().locator('details.params summary').click();
    for (const axis of ['H', 'W']) {
      await wb.panel().locator(`vscode-text-field[data-param="kernel:${axis}"] input`).fill('3');
      await wb.panel().locator(`vscode-text-field[data-param="outputPadding:${axis}"] input`).fill('1');
    }
    const edited = await wb.panelText((t) => t.includes('(1, 1, 8, 8) → (1, 1, 16, 16)'), 'params-edited');
    assert.ok(edited.includes('ConvTranspose2d(…, kernel_size=3, stride=2, padding=1, output_padding=1)'), edited);
    await wb.screenshot('params-edited');
    await wb.panel().locator('vscode-button', { hasText: 'Apply to source' }).click();
    await wb.page.keyboard.press('Control+1');
    await wb.save();
    assert.equal(readFileSync(file, 'utf8').split('\n')[3], 'up = nn.ConvTranspose2d(16, 8, kernel_size=3, stride=2, padding=1, output_padding=1, bias=False)');
    await wb.panelText((t) => t.includes('(1, 16, 8, 8) → (1, 8, 16, 16)') && t.includes('kernel 3, stride 2'), 'params-applied');
    await wb.screenshot('params-applied');
    await wb.page.keyboard.press('Control+Z');
    await wb.save();
    assert.equal(readFileSync(file, 'utf8'), original, 'one undo restores the file');
  });

  it('the panel draws 1-D layers directly and 3-D layers one depth slice at a time, in every view', async () => {
    await wb.openFile('shapes_1d_3d.py');
    await wb.goToLine(4, 12);
    await wb.runCommand('Conv Lens: Open Visualization');
    await wb.panelText((t) => t.includes('Step 1 of 3: output [0] reads 3 kernel taps, 2 of them on real inputs.'), 'panel-1d');
    assert.equal(await wb.panel().locator('.figure .diagram').getAttribute('aria-label'), 'convolution: input 6, padded 8, kernel 3, stride 2, output 3');
    await wb.screenshot('panel-1d');
    const tabs = async (expected: [string, string][], step: string): Promise<void> => {
      for (const [tab, text] of expected) {
        await wb.panel().locator('vscode-button[role="tab"]', { hasText: tab }).click();
        await wb.panelText((t) => t.includes(text), `${step}-${tab}`);
      }
      await wb.panel().locator('vscode-button[role="tab"]', { hasText: 'Sliding kernel' }).click();
    };
    await tabs(
      [
        ['Scatter', 'Step 1 of 6: input [0] stamps the kernel onto'],
        ['Overlap', 'Each output reads up to 3 inputs'],
        ['Matrix', 'Step 1 of 3: row 0 is output [0]'],
        ['Compare', 'Frameworks differ in how they crop a transposed convolution'],
        ['Upsampling family', 'The upsampling family compares ways to enlarge an input'],
      ],
      'views-1d',
    );
    await wb.page.keyboard.press('Control+1');
    await wb.goToLine(6, 12);
    await wb.panelText((t) => t.includes('In depth slice 0 of 5, the window reads input depth slices 0.'), 'panel-3d');
    await wb.panel().locator('vscode-dropdown[aria-label="Depth slice"]').click();
    await wb.panel().locator('vscode-option', { hasText: 'depth 1 of 5' }).click();
    await wb.panelText((t) => t.includes('In depth slice 1 of 5, the window reads input depth slices 0, 1.'), 'panel-3d-slice');
    await wb.screenshot('panel-3d');
    await tabs(
      [
        ['Scatter', 'Step 1 of 16: input (0, 0) stamps the kernel onto'],
        ['Overlap', 'Uneven overlap'],
        ['Matrix', 'Step 1 of 49: row 0 is output (0, 0)'],
        ['Compare', 'The full output is 9×9. PyTorch keeps it from 1, 1; TF/Keras SAME from 0, 0'],
        ['Upsampling family', 'Bed of nails is the transposed conv'],
      ],
      'views-3d',
    );
  });

  it('a selection of several layers draws them as a chain, with a layer picker', async () => {
    await wb.openFile('dcgan_generator.py');
    const first = lineOf('dcgan_generator.py', 'nn.ConvTranspose2d(nz, ngf * 8');
    await wb.goToLine(first, readFileSync(join(workspace, 'dcgan_generator.py'), 'utf8').split('\n')[first - 1].indexOf('ConvTranspose2d') + 2);
    await wb.runCommand('Conv Lens: Open Visualization');
    await wb.panelText((t) => t.includes('(N, 100, 1, 1) → (N, 512, 4, 4)'), 'chain-open');
    // With the panel open, select four lines: ConvTranspose2d, BatchNorm2d, ReLU, ConvTranspose2d.
    await wb.page.keyboard.press('Control+1');
    await wb.goToLine(first, 1);
    for (let i = 0; i < 4; i++) await wb.page.keyboard.press('Shift+ArrowDown');
    await wb.panel().locator('vscode-dropdown.picker').waitFor({ state: 'visible', timeout: 10_000 });
    const options = await wb.panel().locator('vscode-dropdown.picker vscode-option').allTextContents();
    assert.deepEqual(options, ['1. ConvTranspose2d → (N, 512, 4, 4)', '2. BatchNorm2d → (N, 512, 4, 4)', '3. ReLU → (N, 512, 4, 4)', '4. ConvTranspose2d → (N, 256, 8, 8)']);
    await wb.panel().locator('vscode-dropdown.picker').click();
    await wb.panel().locator('vscode-option', { hasText: '4. ConvTranspose2d → (N, 256, 8, 8)' }).click();
    await wb.panelText((t) => t.includes('(N, 512, 4, 4) → (N, 256, 8, 8)'), 'chain-picked');
    await wb.screenshot('panel-chain');
    // A layer without a window says so, and the picker stays to go on.
    await wb.panel().locator('vscode-dropdown.picker').click();
    await wb.panel().locator('vscode-option', { hasText: '2. BatchNorm2d' }).click();
    await wb.panelText((t) => t.includes('BatchNorm2d has no sliding window to draw'), 'chain-batchnorm');
    await wb.panel().locator('vscode-dropdown.picker').waitFor({ state: 'visible' });
  });

  it('a 64×64 layer draws in every view; the panel zooms with its buttons and keys, and the window stays in view', async () => {
    await wb.openFile('large_layer.py');
    await wb.goToLine(4, 12);
    await wb.runCommand('Conv Lens: Open Visualization');
    await wb.panelText((t) => t.includes('Step 1 of 16384: output (0, 0)'), 'large-open');
    assert.equal(await wb.panel().locator('.figure .diagram').getAttribute('aria-label'), 'transposed convolution: input 64×64, zero-inserted 127×127, padded 131×131, kernel 4×4, stride 1, output 128×128');
    const width = (): Promise<number> => wb.panel().locator('.figure .diagram').evaluate((e) => e.getBoundingClientRect().width);
    const fitted = await width();
    await wb.panel().locator('vscode-button[aria-label="Zoom in (+)"]').click();
    await wb.panel().locator('.figure').focus();
    await wb.page.keyboard.press('+');
    await wb.panelText((t) => t.includes('200%'), 'large-zoomed');
    assert.ok((await width()) > 1.6 * fitted, `zoomed to 200%: ${await width()} px against ${fitted} px`);
    // The last step's window is at the bottom right: the figure scrolls to show it.
    await wb.page.keyboard.press('End');
    await wb.panelText((t) => t.includes('Step 16384 of 16384: output (127, 127)'), 'large-end');
    const scrolled = await wb.panel().locator('.figure').evaluate((f) => ({ left: f.scrollLeft, top: f.scrollTop }));
    assert.ok(scrolled.left > 0 && scrolled.top > 0, JSON.stringify(scrolled));
    await wb.screenshot('panel-large-zoomed');
    await wb.page.keyboard.press('0');
    await wb.panelText((t) => t.includes('100%'), 'large-fit');
    for (const [tab, expected] of [
      ['Scatter', 'Step 1 of 4096: input (0, 0) stamps the kernel onto 9 output cells'],
      ['Overlap', 'Even overlap'],
      ['Matrix', 'The matrix is 16,384 × 4,096 (64,516 nonzero entries): too large to draw'],
      ['Compare', 'The full output is 130×130. PyTorch keeps it from 1, 1; TF/Keras SAME from 1, 1.'],
      ['Upsampling family', 'Bed of nails is the transposed conv'],
    ] as const) {
      await wb.panel().locator('vscode-button[role="tab"]', { hasText: tab }).click();
      await wb.panelText((t) => t.includes(expected), `large-${tab}`);
      await wb.screenshot(`large-${tab.toLowerCase().replace(/\W+/g, '-')}`);
    }
    await wb.panel().locator('vscode-button[role="tab"]', { hasText: 'Sliding kernel' }).click();
  });

  it('the panel follows the colour theme: light, high-contrast dark and high-contrast light are drawn legibly', async () => {
    await panelOnDcgan('theme-open');
    const themes = [
      ['Light Modern', 'vscode-light'],
      ['Dark High Contrast', 'vscode-high-contrast'],
      ['Light High Contrast', 'vscode-high-contrast-light'],
    ] as const;
    try {
      for (const [theme, kind] of themes) {
        await wb.colorTheme(theme);
        await wb.panel().locator(`body[data-vscode-theme-kind="${kind}"]`).waitFor({ timeout: 20_000 });
        // The drawing is painted again in the theme's colours: wait until its background is the page's.
        const seen = await wb.panel().locator('body').evaluate(async (body) => {
          const rgb = (css: string): number[] => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
          const luminance = (c: number[]): number => {
            const [r, g, b] = c.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
          };
          const contrast = (a: number[], b: number[]): number => (Math.max(luminance(a), luminance(b)) + 0.05) / (Math.min(luminance(a), luminance(b)) + 0.05);
          const background = rgb(getComputedStyle(body).backgroundColor);
          const status = rgb(getComputedStyle(body.querySelector('.status')!).color);
          // The canvas's colours, by how many pixels have each: the cell kinds must stand apart.
          let colours = new Map<string, number>();
          for (let attempt = 0; attempt < 40; attempt++) {
            const canvas = body.querySelector<HTMLCanvasElement>('.figure canvas')!;
            const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
            colours = new Map();
            for (let i = 0; i < data.length; i += 4) if (data[i + 3] === 255) colours.set(`${data[i]},${data[i + 1]},${data[i + 2]}`, (colours.get(`${data[i]},${data[i + 1]},${data[i + 2]}`) ?? 0) + 1);
            if (colours.has(background.join(','))) break;
            await new Promise((r) => setTimeout(r, 250));
          }
          const total = [...colours.values()].reduce((a, b) => a + b, 0);
          const kinds = [...colours].filter(([, n]) => n / total > 0.01).map(([c]) => c.split(',').map(Number));
          return { statusContrast: contrast(status, background), distinct: kinds.length, farthest: Math.max(...kinds.map((k) => contrast(k, background))), paintedInTheme: colours.has(background.join(',')) };
        });
        await wb.screenshot(`theme-${kind}`);
        assert.ok(seen.paintedInTheme, `${theme}: the drawing was painted again in the theme's colours`);
        assert.ok(seen.statusContrast >= 4.5, `${theme}: status text contrast ${seen.statusContrast.toFixed(2)}`);
        assert.ok(seen.distinct >= 4, `${theme}: ${seen.distinct} distinct cell colours`);
        assert.ok(seen.farthest >= 3, `${theme}: the strongest cell colour's contrast with the background is ${seen.farthest.toFixed(2)}`);
      }
    } finally {
      await wb.colorTheme('Dark Modern');
      await wb.page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 20_000 });
    }
  });

  it('Keras: the functional autoencoder\'s hover, hints and panel in channels-last shapes, and Keras\' reason in Problems', async () => {
    await wb.openFile('keras_autoencoder.py');
    const line = lineOf('keras_autoencoder.py', 'layers.Conv2DTranspose(64');
    const text = await wb.hover(line, 'Conv2DTranspose');
    await wb.screenshot('keras-hover');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines[0], 'Conv2DTranspose → (N, 14, 14, 64)', text);
    assert.equal(lines[1], 'for input (N, 7, 7, 64) (the previous layer\'s output)');
    assert.ok(lines.includes('H: (7 − 1)·2 + 1·(3 − 1) + 1 − 1 = 14'), text);
    const drawn = (await wb.editorLines('keras_autoencoder.py', true)).find((l) => l.includes('layers.Conv2DTranspose(64')) ?? '';
    assert.ok(drawn.includes('activation="relu") → (N, 14, 14, 64)(x)'), drawn);
    await wb.goToLine(line, readFileSync(join(workspace, 'keras_autoencoder.py'), 'utf8').split('\n')[line - 1].indexOf('Conv2DTranspose') + 2);
    await wb.runCommand('Conv Lens: Open Visualization');
    await wb.panelText((t) => t.includes('(N, 7, 7, 64) → (N, 14, 14, 64) · kernel 3, stride 2 · one channel pair drawn, of 64 in → 64 out'), 'keras-panel');
    assert.equal(await wb.panel().locator('.figure .diagram').getAttribute('aria-label'), 'transposed convolution: input 7×7, zero-inserted 13×13, padded 16×16, kernel 3×3, stride 1, output 14×14');
    await wb.screenshot('keras-panel');
    await wb.panel().locator('vscode-button[role="tab"]', { hasText: 'Compare' }).click();
    const compared = await wb.panelText((t) => t.includes('The full output is 15×15. PyTorch keeps it from 1, 1; TF/Keras SAME from 0, 0 — the same size, shifted by 1, 1.'), 'keras-compare');
    // The same layer in PyTorch: TF's window needs a slice of PyTorch's full output.
    assert.ok(compared.includes('y = nn.ConvTranspose2d(64, 64, kernel_size=3, stride=2, padding=0)(x)\ny = y[..., :-1, :-1]'), compared);
    await wb.panel().locator('.translations').scrollIntoViewIfNeeded();
    await wb.screenshot('keras-compare');

    await wb.closeAllEditors();
    await wb.openFile('keras_refused.py');
    const expected = 'Keras refuses this Conv2DTranspose: `output_padding` must be < `strides`. output_padding=(2, 2), strides=(2, 2)';
    const problems = await wb.problems((rows) => rows.some((r) => r.includes(expected)));
    await wb.screenshot('keras-diagnostic');
    if (!problems.some((p) => p.includes(expected))) await wb.fail('keras-diagnostic', 'the Problems panel does not give Keras\' reason', problems.join('\n'));
  });

  it('ONNX: a graph script\'s nodes are hovered and drawn with the shapes its tensors flow through', async () => {
    await wb.openFile('onnx_graph.py');
    const line = lineOf('onnx_graph.py', 'make_node("ConvTranspose"');
    const text = await wb.hover(line, 'make_node');
    await wb.screenshot('onnx-hover');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines[0], 'ConvTranspose → (1, 8, 32, 32)', text);
    assert.equal(lines[1], 'for input (1, 32, 16, 16) (the previous layer\'s output)');
    const drawn = (await wb.editorLines('onnx_graph.py', true)).find((l) => l.includes('make_node("ConvTranspose"')) ?? '';
    assert.ok(drawn.includes('auto_pad="SAME_UPPER") → (1, 8, 32, 32),'), drawn);
    await wb.goToLine(line, readFileSync(join(workspace, 'onnx_graph.py'), 'utf8').split('\n')[line - 1].indexOf('make_node') + 2);
    await wb.runCommand('Conv Lens: Open Visualization');
    await wb.panelText((t) => t.includes('(1, 32, 16, 16) → (1, 8, 32, 32) · kernel 4, stride 2 · one channel pair drawn, of 32 in → 8 out'), 'onnx-panel');
    assert.equal(await wb.panel().locator('.figure .diagram').getAttribute('aria-label'), 'transposed convolution: input 16×16, zero-inserted 31×31, padded 35×35, kernel 4×4, stride 1, output 32×32');
    await wb.screenshot('onnx-panel');

    await wb.closeAllEditors();
    await wb.openFile('onnx_refused.py');
    const expected = 'ONNX refuses this Conv: Conv: Attribute pads has incorrect length';
    const problems = await wb.problems((rows) => rows.some((r) => r.includes(expected)));
    await wb.screenshot('onnx-diagnostic');
    if (!problems.some((p) => p.includes(expected))) await wb.fail('onnx-diagnostic', 'the Problems panel does not give the ONNX reason', problems.join('\n'));
  });

  it('Flax: a compact module\'s convs are hovered from the input comment, and an int kernel_size is flagged with its fix', async () => {
    await wb.openFile('flax_decoder.py');
    const line = lineOf('flax_decoder.py', 'nn.ConvTranspose(32');
    const text = await wb.hover(line, 'ConvTranspose');
    await wb.screenshot('flax-hover');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines[0], 'ConvTranspose → (N, 16, 16, 32)', text);
    const hinted = (await wb.editorLines('flax_decoder.py', true)).find((l) => l.includes('nn.ConvTranspose(32')) ?? '';
    assert.ok(hinted.includes('strides=(2, 2)) → (N, 16, 16, 32)(z)'), hinted);
    const expected = 'kernel_size=3 is a 1-D kernel in Flax: on this 2-D input it convolves the last spatial axis only';
    const problems = await wb.problems((rows) => rows.some((r) => r.includes(expected)));
    await wb.screenshot('flax-diagnostic');
    if (!problems.some((p) => p.includes(expected))) await wb.fail('flax-diagnostic', 'the Problems panel does not flag the int kernel_size', problems.join('\n'));
    await wb.goToLine(line, readFileSync(join(workspace, 'flax_decoder.py'), 'utf8').split('\n')[line - 1].indexOf('ConvTranspose') + 2);
    await wb.runCommand('Conv Lens: Open Visualization');
    await wb.panelText((t) => t.includes('(N, 8, 8, 64) → (N, 16, 16, 32) · kernel 4, stride 2'), 'flax-panel');
    assert.match((await wb.panel().locator('.figure .diagram').getAttribute('aria-label')) ?? '', /^transposed convolution: input 8×8, zero-inserted 15×15, .* output 16×16$/);
    await wb.screenshot('flax-panel');
  });

  it('TensorFlow and JAX: tf.nn and lax calls are hovered, hinted and drawn from the tensors the file makes, and TF\'s reason is in Problems', async () => {
    await wb.openFile('tf_nn_and_lax.py');
    const line = lineOf('tf_nn_and_lax.py', 'tf.nn.conv2d_transpose(');
    const text = await wb.hover(line, 'conv2d_transpose');
    await wb.screenshot('tf-hover');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines[0], 'conv2d_transpose → (1, 4, 4, 1)', text);
    assert.equal(lines[1], 'for input (1, 2, 2, 1) (the previous layer\'s output)');
    const drawn = await wb.editorLines('tf_nn_and_lax.py', true);
    const hinted = drawn.find((l) => l.includes('tf.nn.conv2d_transpose(')) ?? '';
    assert.ok(hinted.includes('padding="SAME") → (1, 4, 4, 1)'), hinted);
    const lax = await wb.hover(lineOf('tf_nn_and_lax.py', 'lax.conv_general_dilated('), 'conv_general_dilated');
    assert.equal(lax.split('\n')[0], 'conv_general_dilated → (1, 32, 16, 16)', lax);
    await wb.goToLine(line, readFileSync(join(workspace, 'tf_nn_and_lax.py'), 'utf8').split('\n')[line - 1].indexOf('conv2d_transpose') + 2);
    await wb.runCommand('Conv Lens: Open Visualization');
    await wb.panelText((t) => t.includes('(1, 2, 2, 1) → (1, 4, 4, 1) · kernel 3, stride 2'), 'tf-panel');
    assert.equal(await wb.panel().locator('.figure .diagram').getAttribute('aria-label'), 'transposed convolution: input 2×2, zero-inserted 3×3, padded 6×6, kernel 3×3, stride 1, output 4×4');
    await wb.screenshot('tf-panel');

    await wb.closeAllEditors();
    await wb.openFile('tf_refused.py');
    const expected = "TensorFlow refuses this conv2d_transpose: Conv2DSlowBackpropInput: Size of out_backprop doesn't match computed: actual = 4, computed = 5";
    const problems = await wb.problems((rows) => rows.some((r) => r.includes(expected)));
    await wb.screenshot('tf-diagnostic');
    if (!problems.some((p) => p.includes(expected))) await wb.fail('tf-diagnostic', 'the Problems panel does not give TF\'s reason', problems.join('\n'));
  });

  it('YAML and JSON: an mmcv-style YAML decoder and a Keras model JSON are hovered and hinted with their shapes', async () => {
    await wb.openFile('decoder_config.yaml');
    const yaml = await wb.hover(lineOf('decoder_config.yaml', 'type: deconv'), 'deconv');
    await wb.screenshot('yaml-hover');
    assert.equal(yaml.split('\n')[0], 'ConvTranspose2d → (1, 128, 16, 16)', yaml);
    const drawn = (await wb.editorLines('decoder_config.yaml', true)).find((l) => l.includes('output_padding: 1')) ?? '';
    assert.ok(drawn.includes('→ (1, 64, 32, 32)'), drawn);
    await wb.goToLine(lineOf('decoder_config.yaml', 'type: deconv'), 12);
    await wb.runCommand('Conv Lens: Open Visualization');
    await wb.panelText((t) => t.includes('(1, 256, 8, 8) → (1, 128, 16, 16) · kernel 4, stride 2'), 'yaml-panel');
    await wb.screenshot('yaml-panel');
    await wb.closeAllEditors();
    await wb.closeAllEditors();
    await wb.openFile('keras_model.json');
    const json = await wb.hover(lineOf('keras_model.json', '"up2"'), 'Conv2DTranspose');
    await wb.screenshot('json-hover');
    assert.equal(json.split('\n')[0], 'Conv2DTranspose → (N, 28, 28, 1)', json);
  });

  it('Caffe: a .prototxt net is a language of its own; its layers are hovered along the blobs', async () => {
    await wb.openFile('fcn32s_head.prototxt');
    await wb.page.locator('.statusbar-item', { hasText: 'Caffe prototxt' }).first().waitFor({ timeout: 10_000 });
    const text = await wb.hover(lineOf('fcn32s_head.prototxt', 'type: "Deconvolution"'), 'Deconvolution');
    await wb.screenshot('caffe-hover');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines[0], 'Deconvolution → (1, 21, 544, 544)', text);
    assert.equal(lines[1], 'for input (1, 21, 16, 16) (the previous layer\'s output)');
    await wb.goToLine(lineOf('fcn32s_head.prototxt', 'type: "Deconvolution"'), 12);
    await wb.runCommand('Conv Lens: Open Visualization');
    await wb.panelText((t) => t.includes('(1, 21, 16, 16) → (1, 21, 544, 544) · kernel 64, stride 32'), 'caffe-panel');
    await wb.screenshot('caffe-panel');
    const hinted = await wb.editorLines('fcn32s_head.prototxt', true);
    assert.ok(hinted.some((l) => l.trim() === '} → (1, 21, 544, 544)'), hinted.join('\n'));

    await wb.closeAllEditors();
    await wb.openFile('caffe_refused.prototxt');
    const expected = 'Caffe refuses this Convolution: Number of input channels should be multiples of group (6 and 4).';
    const problems = await wb.problems((rows) => rows.some((r) => r.includes(expected)));
    await wb.screenshot('caffe-diagnostic');
    if (!problems.some((p) => p.includes(expected))) await wb.fail('caffe-diagnostic', 'the Problems panel does not give Caffe\'s reason', problems.join('\n'));
  });

  it('converting a transposed conv from the palette saves runnable code that computes the same generator (real PyTorch)', async () => {
    await wb.openFile('dcgan_generator.py');
    const original = readFileSync(join(workspace, 'dcgan_generator.py'), 'utf8');
    const line = lineOf('dcgan_generator.py', 'nn.ConvTranspose2d(ngf * 8, ngf * 4');
    await wb.goToLine(line, original.split('\n')[line - 1].indexOf('ConvTranspose2d') + 2);
    await wb.runCommand('Conv Lens: Convert Transposed Conv to Zero-Inserted Conv');
    await wb.save();
    const saved = join(workspace, 'dcgan_generator.py');
    await wb.goToLine(lineOf('dcgan_generator.py', 'self.main = nn.Sequential') + 1 + (readFileSync(saved, 'utf8').split('\n').length - original.split('\n').length));
    await wb.screenshot('converted');
    const converted = readFileSync(saved, 'utf8');
    if (!converted.includes('            ZeroInsertedConvTranspose2d(\n                # 1. insert 1 zero between neighbouring inputs (H → 2·H − 1, W → 2·W − 1)\n')) {
      await wb.fail('converted', 'the saved file does not hold the conversion', converted);
    }
    // Same seed, same initial weights: the rewritten generator must compute what the original does.
    const check = spawnSync('/usr/bin/python3', ['-c', [
      'import sys, torch',
      'def build(path):',
      '    scope = {"__name__": "model"}',
      '    exec(open(path).read(), scope)',
      '    torch.manual_seed(0)',
      '    return scope["Generator"]().eval()',
      'a, b = build(sys.argv[1]), build(sys.argv[2])',
      'z = torch.randn(2, 100, 1, 1)',
      'ya, yb = a(z), b(z)',
      'print(tuple(yb.shape), (ya - yb).abs().max().item())',
    ].join('\n'), join(ROOT, 'examples/dcgan_generator.py'), saved], { encoding: 'utf8' });
    assert.equal(check.status, 0, `PyTorch could not run the converted file: ${check.stderr}`);
    const [shape, diff] = check.stdout.trim().split(') ');
    assert.equal(`${shape})`, '(2, 3, 64, 64)');
    assert.ok(Number(diff) <= 1e-5, `max abs difference ${diff}`);
  });

  it('the palette does not offer the Python-only command in a plain-text editor', async () => {
    await wb.page.keyboard.press('Control+N'); // a new untitled plain-text file
    await wb.page.locator('.tabs-container .tab.active[aria-label*="Untitled"]').first().waitFor();
    const titles = await wb.paletteTitles('Conv Lens', 'palette-plaintext');
    assert.deepEqual(titles.filter((t) => t.startsWith('Conv Lens')), [], titles.join('\n'));
  });
});
