import { Routes } from '@angular/router';
import { authGuard, guestGuard, homeRedirectGuard, ownerGuard, roleGuard } from './shared/api/guards';

export const routes: Routes = [
  {
    path: 'login',
    title: 'login.submit',
    canActivate: [guestGuard],
    loadComponent: () => import('./pages/login/login-page').then((m) => m.LoginPage),
  },
  {
    path: 'change-password',
    title: 'password.title',
    canActivate: [authGuard],
    loadComponent: () => import('./pages/change-password/change-password-page').then((m) => m.ChangePasswordPage),
  },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./shared/layout/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', canActivate: [homeRedirectGuard], children: [] },
      {
        path: 'profile',
        title: 'profile.title',
        loadComponent: () => import('./pages/profile/profile-page').then((m) => m.ProfilePage),
      },
      {
        path: 'admin',
        canActivate: [roleGuard('admin')],
        loadChildren: () => import('./pages/admin/admin.routes').then((m) => m.ADMIN_ROUTES),
      },
      {
        path: 'my',
        canActivate: [roleGuard('customer')],
        children: [
          { path: '', pathMatch: 'full', redirectTo: 'machines' },
          {
            path: 'machines',
            title: 'my.title',
            loadComponent: () => import('./pages/customer/my-machines-page').then((m) => m.MyMachinesPage),
          },
          {
            path: 'machines/:id',
            title: 'machine.detail',
            loadComponent: () => import('./pages/customer/my-machine-detail-page').then((m) => m.MyMachineDetailPage),
          },
          {
            path: 'keys',
            title: 'keys.title',
            loadComponent: () => import('./pages/customer/ssh-keys-page').then((m) => m.SshKeysPage),
          },
          {
            path: 'members',
            title: 'members.title',
            canActivate: [ownerGuard],
            loadComponent: () => import('./pages/customer/members-page').then((m) => m.MembersPage),
          },
        ],
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
