import { Component, computed, input } from '@angular/core';
import { TranslatePipe } from '../i18n/i18n-pipes';

const LEVELS: Record<string, 'ok' | 'warn' | 'bad' | ''> = {
  online: 'ok',
  active: 'ok',
  idle: 'ok',
  succeeded: 'ok',
  healthy: 'ok',
  allocated: '',
  allocating: 'warn',
  reclaiming: 'warn',
  pending: 'warn',
  running: 'warn',
  warning: 'warn',
  acknowledged: 'warn',
  degraded: 'warn',
  offline: 'bad',
  maintenance: 'bad',
  failed: 'bad',
  critical: 'bad',
  disabled: 'bad',
  unhealthy: 'bad',
};

/** A coloured status label; `prefix` selects the translation namespace (e.g. 'status.' + value). */
@Component({
  selector: 'rg-status-chip',
  imports: [TranslatePipe],
  template: `<span class="status-chip" [class]="level()">{{ prefix() ? (prefix() + value() | t) : value() }}</span>`,
})
export class StatusChip {
  readonly value = input.required<string>();
  readonly prefix = input<string>('');
  readonly level = computed(() => `status-chip ${LEVELS[this.value()] ?? ''}`);
}
