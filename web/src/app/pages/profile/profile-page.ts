import { Component, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatChipsModule } from '@angular/material/chips';
import { RouterLink } from '@angular/router';
import { SessionService } from '../../shared/api/session.service';
import { LocalDatePipe, TranslatePipe } from '../../shared/i18n/i18n-pipes';

@Component({
  selector: 'rg-profile-page',
  imports: [MatCardModule, MatButton, MatChipsModule, RouterLink, TranslatePipe, LocalDatePipe],
  template: `
    <section class="page">
      <header class="page-header">
        <h1>{{ 'profile.title' | t }}</h1>
      </header>
      @if (session.profile(); as p) {
        <mat-card appearance="outlined">
          <mat-card-content>
            <dl class="kv">
              <dt>{{ 'profile.username' | t }}</dt>
              <dd>{{ p.username }}</dd>
              <dt>{{ 'profile.role' | t }}</dt>
              <dd>{{ 'role.' + p.role | t }}</dd>
              @if (p.tenant_id) {
                <dt>{{ 'profile.tenant' | t }}</dt>
                <dd>{{ p.tenant_name ?? p.company_code ?? p.tenant_id }}</dd>
              }
              @if (p.tenant_role) {
                <dt>{{ 'profile.tenantRole' | t }}</dt>
                <dd>{{ 'tenantRole.' + p.tenant_role | t }}</dd>
              }
              @if (p.email) {
                <dt>{{ 'profile.email' | t }}</dt>
                <dd>{{ p.email }}</dd>
              }
              @if (p.last_login_at) {
                <dt>{{ 'profile.lastLogin' | t }}</dt>
                <dd>{{ p.last_login_at | localDate }}</dd>
              }
              @if (p.permissions?.length) {
                <dt>{{ 'profile.permissions' | t }}</dt>
                <dd>
                  <mat-chip-set>
                    @for (permission of p.permissions; track permission) {
                      <mat-chip>{{ permission }}</mat-chip>
                    }
                  </mat-chip-set>
                </dd>
              }
            </dl>
          </mat-card-content>
          <mat-card-actions>
            <a mat-button routerLink="/change-password">{{ 'password.title' | t }}</a>
            <button mat-button type="button" (click)="session.logout()">{{ 'nav.logout' | t }}</button>
          </mat-card-actions>
        </mat-card>
      }
    </section>
  `,
})
export class ProfilePage {
  readonly session = inject(SessionService);
}
