import { Routes } from '@angular/router';

export const ADMIN_ROUTES: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
  { path: 'dashboard', loadComponent: () => import('./dashboard-page').then((m) => m.DashboardPage) },
  { path: 'machines', loadComponent: () => import('./machines-page').then((m) => m.MachinesPage) },
  { path: 'machines/:id', loadComponent: () => import('./machine-detail-page').then((m) => m.MachineDetailPage) },
  { path: 'import', loadComponent: () => import('./import-page').then((m) => m.ImportPage) },
  { path: 'customers', loadComponent: () => import('./customers-page').then((m) => m.CustomersPage) },
  { path: 'alerts', loadComponent: () => import('./alerts-page').then((m) => m.AlertsPage) },
  { path: 'audit', loadComponent: () => import('./audit-page').then((m) => m.AuditPage) },
];
