/** The panel's views by id, in tab order. */
import type { PanelViewId } from '../../src/core/visual/protocol';
import { compareView } from './compare';
import type { ViewDef } from './context';
import { familyView } from './family';
import { gatherView } from './gather';
import { matrixView } from './matrix';
import { overlapView } from './overlap';
import { scatterView } from './scatter';

export const VIEWS: Readonly<Record<PanelViewId, ViewDef>> = {
  gather: gatherView,
  scatter: scatterView,
  overlap: overlapView,
  matrix: matrixView,
  compare: compareView,
  family: familyView,
};
