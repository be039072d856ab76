import { BreakpointObserver, Breakpoints } from '@angular/cdk/layout';
import { Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatIconButton } from '@angular/material/button';
import { MatDivider } from '@angular/material/divider';
import { MatIcon } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbar } from '@angular/material/toolbar';
import { MatTooltip } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { SessionService } from '../api/session.service';
import { TranslationKey } from '../i18n/dictionary';
import { TranslatePipe } from '../i18n/i18n-pipes';
import { LiveService } from '../live/live.service';
import { PrefsMenu } from '../ui/prefs-menu';

interface NavItem {
  path: string;
  icon: string;
  label: TranslationKey;
  ownerOnly?: boolean;
}

const ADMIN_NAV: NavItem[] = [
  { path: '/admin/dashboard', icon: 'dashboard', label: 'nav.dashboard' },
  { path: '/admin/machines', icon: 'dns', label: 'nav.machines' },
  { path: '/admin/import', icon: 'upload_file', label: 'nav.import' },
  { path: '/admin/customers', icon: 'business', label: 'nav.customers' },
  { path: '/admin/alerts', icon: 'notifications', label: 'nav.alerts' },
  { path: '/admin/audit', icon: 'history', label: 'nav.audit' },
];

const CUSTOMER_NAV: NavItem[] = [
  { path: '/my/machines', icon: 'memory', label: 'nav.myMachines' },
  { path: '/my/keys', icon: 'key', label: 'nav.sshKeys' },
  { path: '/my/members', icon: 'group', label: 'nav.members', ownerOnly: true },
];

/** Toolbar + side navigation; the navigation becomes an overlay drawer on handset-sized screens. */
@Component({
  selector: 'rg-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatToolbar,
    MatSidenavModule,
    MatListModule,
    MatIcon,
    MatIconButton,
    MatMenuModule,
    MatDivider,
    MatTooltip,
    TranslatePipe,
    PrefsMenu,
  ],
  template: `
    <mat-toolbar class="toolbar">
      <button mat-icon-button type="button" (click)="toggleNav()" [attr.aria-label]="'app.menu' | t">
        <mat-icon>menu</mat-icon>
      </button>
      <a class="brand" routerLink="/">{{ 'app.title' | t }}</a>
      <span class="spacer"></span>
      <mat-icon
        class="live"
        [class.live-off]="live.state() !== 'open'"
        [matTooltip]="(live.state() === 'open' ? 'app.live.open' : 'app.live.offline') | t"
        [attr.aria-label]="(live.state() === 'open' ? 'app.live.open' : 'app.live.offline') | t"
        >{{ live.state() === 'open' ? 'sensors' : 'sensors_off' }}</mat-icon
      >
      <rg-prefs-menu />
      <button mat-icon-button type="button" [matMenuTriggerFor]="userMenu" [attr.aria-label]="'nav.profile' | t">
        <mat-icon>account_circle</mat-icon>
      </button>
      <mat-menu #userMenu="matMenu">
        <div class="user-name">{{ session.profile()?.username }}</div>
        <mat-divider />
        <a mat-menu-item routerLink="/profile"
          ><mat-icon>person</mat-icon><span>{{ 'nav.profile' | t }}</span></a
        >
        <button mat-menu-item type="button" (click)="session.logout()">
          <mat-icon>logout</mat-icon><span>{{ 'nav.logout' | t }}</span>
        </button>
      </mat-menu>
    </mat-toolbar>
    <mat-sidenav-container class="container">
      <mat-sidenav [mode]="handset() ? 'over' : 'side'" [opened]="navOpen()" (closedStart)="navOpenState.set(false)">
        <mat-nav-list>
          @for (item of nav(); track item.path) {
            <a
              mat-list-item
              [routerLink]="item.path"
              routerLinkActive
              #rla="routerLinkActive"
              [activated]="rla.isActive"
            >
              <mat-icon matListItemIcon>{{ item.icon }}</mat-icon>
              <span matListItemTitle>{{ item.label | t }}</span>
            </a>
          }
        </mat-nav-list>
      </mat-sidenav>
      <mat-sidenav-content>
        <router-outlet />
      </mat-sidenav-content>
    </mat-sidenav-container>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      height: 100%;
    }
    .toolbar {
      position: sticky;
      top: 0;
      z-index: 2;
      gap: 4px;
      background: var(--mat-sys-surface-container);
    }
    .brand {
      color: inherit;
      text-decoration: none;
      font: var(--mat-sys-title-large);
    }
    .container {
      flex: 1 1 auto;
    }
    mat-sidenav {
      width: 232px;
    }
    .live {
      color: #2e7d32;
      margin: 0 8px;
    }
    .live-off {
      color: var(--mat-sys-outline);
    }
    .user-name {
      padding: 8px 16px;
      font: var(--mat-sys-title-small);
    }
  `,
})
export class Shell {
  readonly session = inject(SessionService);
  readonly live = inject(LiveService);
  private readonly router = inject(Router);
  readonly handset = toSignal(
    inject(BreakpointObserver)
      .observe([Breakpoints.XSmall, Breakpoints.Small])
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  readonly navOpenState = signal<boolean | null>(null);
  readonly navOpen = computed(() => this.navOpenState() ?? !this.handset());
  readonly nav = computed(() => {
    if (this.session.isAdmin()) return ADMIN_NAV;
    const owner = this.session.isOwner();
    return CUSTOMER_NAV.filter((item) => !item.ownerOnly || owner);
  });

  constructor() {
    // On small screens the drawer closes after navigating.
    this.router.events.pipe(filter((event) => event instanceof NavigationEnd)).subscribe(() => {
      if (this.handset()) this.navOpenState.set(false);
    });
  }

  toggleNav(): void {
    this.navOpenState.set(!this.navOpen());
  }
}
