import { Routes } from '@angular/router';

export const ADMIN_ROUTES: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
  {
    path: 'dashboard',
    title: 'dashboard.title',
    loadComponent: () => import('./dashboard-page').then((m) => m.DashboardPage),
  },
  {
    path: 'machines',
    title: 'machine.list',
    loadComponent: () => import('./machines-page').then((m) => m.MachinesPage),
  },
  {
    path: 'machines/:id',
    title: 'machine.detail',
    loadComponent: () => import('./machine-detail-page').then((m) => m.MachineDetailPage),
  },
  { path: 'import', title: 'import.title', loadComponent: () => import('./import-page').then((m) => m.ImportPage) },
  {
    path: 'customers',
    title: 'customer.title',
    loadComponent: () => import('./customers-page').then((m) => m.CustomersPage),
  },
  { path: 'alerts', title: 'alert.title', loadComponent: () => import('./alerts-page').then((m) => m.AlertsPage) },
  { path: 'audit', title: 'audit.title', loadComponent: () => import('./audit-page').then((m) => m.AuditPage) },
];
