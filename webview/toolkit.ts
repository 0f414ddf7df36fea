/**
 * The one place that knows about @vscode/webview-ui-toolkit (frozen upstream since January
 * 2025, asked for by the design card): only the components the panel uses are registered,
 * so replacing the toolkit later changes this file and the tag names in panel.ts and params.ts only.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption, vsCodeTextField } from '@vscode/webview-ui-toolkit';

export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField());
}
