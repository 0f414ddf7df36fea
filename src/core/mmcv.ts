/**
 * mmcv's registry names for PyTorch classes: config dicts (`dict(type='deconv', …)` in Python,
 * `type: deconv` in YAML) name layers by these as well as by their class names.
 */
import { isTorchLayerType } from './torch/catalog';

const MMCV_TYPES: Readonly<Record<string, string>> = { Conv: 'Conv2d', deconv: 'ConvTranspose2d', deconv3d: 'ConvTranspose3d', nearest: 'Upsample', bilinear: 'Upsample' };

/** The torch.nn class a config's `type` builds, with the Upsample mode it implies (`bilinear`). */
export function configLayerType(type: string): { readonly layerType: string; readonly mode?: string } | undefined {
  const layerType = MMCV_TYPES[type] ?? type;
  if (!isTorchLayerType(layerType)) return undefined;
  return layerType === 'Upsample' && type !== 'Upsample' ? { layerType, mode: type } : { layerType };
}
