import { DOCUMENT, Injectable, OnDestroy, effect, inject, signal } from '@angular/core';
import { Subject } from 'rxjs';
import { jwtExpiry } from '../api/auth-session';
import { SessionService } from '../api/session.service';
import { Notifier } from '../ui/notifier.service';
import { LiveMessage, MonitoringUpdate, alertOf, liveSocketUrl, monitoringUpdates } from './live-messages';
import { LiveSocket, LiveState } from './live-socket';

/**
 * The one WebSocket of the app (/ws/connect?token=), shared by every page. Connected while signed in;
 * pages read `latest` (last monitoring update per machine) or subscribe to `messages`.
 */
@Injectable({ providedIn: 'root' })
export class LiveService implements OnDestroy {
  private readonly session = inject(SessionService);
  private readonly notifier = inject(Notifier);
  private readonly window = inject(DOCUMENT).defaultView as Window;
  private readonly messagesSubject = new Subject<LiveMessage>();
  readonly messages = this.messagesSubject.asObservable();
  readonly state = signal<LiveState>('idle');
  readonly latest = signal<Record<string, MonitoringUpdate>>({});

  private readonly socket = new LiveSocket({
    url: () => this.url(),
    createSocket: (url) => new WebSocket(url),
    timers: {
      setTimeout: (fn, ms) => this.window.setTimeout(fn, ms),
      clearTimeout: (handle) => this.window.clearTimeout(handle as number | undefined),
      setInterval: (fn, ms) => this.window.setInterval(fn, ms),
      clearInterval: (handle) => this.window.clearInterval(handle as number | undefined),
    },
    onMessage: (message) => this.dispatch(message),
    onState: (state) => this.state.set(state),
  });

  constructor() {
    effect(() => {
      if (this.session.signedIn()) this.socket.start();
      else {
        this.socket.stop();
        this.latest.set({});
      }
    });
  }

  ngOnDestroy(): void {
    this.socket.stop();
  }

  private url(): string | null {
    const token = this.session.accessToken();
    if (!token) return null;
    const exp = jwtExpiry(token);
    if (exp !== null && exp * 1000 <= Date.now()) {
      // The server would reject an expired token: refresh first, then connect again.
      this.session.refresher
        .refresh()
        .then(() => this.socket.restart())
        .catch(() => this.session.endSession());
      return null;
    }
    return liveSocketUrl(this.window.location, token);
  }

  private dispatch(message: LiveMessage): void {
    const updates = monitoringUpdates(message);
    if (updates.length) {
      this.latest.update((current) => {
        const next = { ...current };
        for (const update of updates) next[update.machine_id] = update;
        return next;
      });
    }
    const alert = alertOf(message);
    if (
      alert &&
      (message.type === 'alert_event' ? message.data.action === 'raised' : true) &&
      alert.severity !== 'info'
    ) {
      this.notifier.alert(alert.message, alert.severity === 'critical');
    }
    this.messagesSubject.next(message);
  }
}
