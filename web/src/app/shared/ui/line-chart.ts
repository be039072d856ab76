import { Component, computed, inject, input } from '@angular/core';
import { NgxEchartsDirective } from 'ngx-echarts';
import { ThemeService } from '../theme/theme.service';
import { SeriesSpec, timeSeriesOption } from './chart-options';

/** A time-series line chart (echarts, loaded lazily on first use). */
@Component({
  selector: 'rg-line-chart',
  imports: [NgxEchartsDirective],
  host: { '[attr.data-points]': 'pointCount()' },
  template: `<div echarts class="chart" [options]="option()" [autoResize]="true"></div>`,
})
export class LineChart {
  readonly series = input.required<SeriesSpec[]>();
  readonly unit = input<string>('%');
  readonly max = input<number | undefined>(100);
  private readonly theme = inject(ThemeService);
  /** samples drawn (exposed as data-points for tests and debugging) */
  readonly pointCount = computed(() => this.series().reduce((sum, s) => sum + s.points.length, 0));
  readonly option = computed(() =>
    timeSeriesOption(this.series(), { dark: this.theme.isDark(), unit: this.unit(), max: this.max() }),
  );
}
