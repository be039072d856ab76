import {
  ALLOCATION_STATUSES,
  CONTAINER_STATUSES,
  DATASET_MOUNT_STATUSES,
  DATASET_STATUSES,
  MACHINE_ALLOCATION_STATUSES,
  MACHINE_ONLINE_STATUSES,
  TASK_STATUSES,
} from '../enums';
import {
  allocationStateMachine,
  containerStateMachine,
  datasetMountStateMachine,
  datasetStateMachine,
  machineAllocationStateMachine,
  machineOnlineStateMachine,
  taskStateMachine,
} from './machines';
import {
  assertTransition,
  canTransition,
  IllegalTransitionError,
  legalTransitions,
  type StateMachine,
} from './state-machine';

// Each case lists its legal transitions independently of the implementation ("from>to"); every other
// ordered pair of states, including staying in place, must be rejected.
const cases: Array<{ machine: StateMachine<string>; states: readonly string[]; legal: string[] }> = [
  {
    machine: machineAllocationStateMachine,
    states: MACHINE_ALLOCATION_STATUSES,
    legal: [
      'idle>allocating',
      'idle>maintenance',
      'allocating>allocated',
      'allocating>idle',
      'allocating>maintenance',
      'allocated>reclaiming',
      'reclaiming>idle',
      'reclaiming>maintenance',
      'maintenance>idle',
    ],
  },
  { machine: machineOnlineStateMachine, states: MACHINE_ONLINE_STATUSES, legal: ['online>offline', 'offline>online'] },
  {
    machine: datasetStateMachine,
    states: DATASET_STATUSES,
    legal: ['uploading>processing', 'uploading>error', 'processing>ready', 'processing>error'],
  },
  {
    machine: containerStateMachine,
    states: CONTAINER_STATUSES,
    legal: [
      'creating>running',
      'creating>error',
      'running>stopped',
      'running>error',
      'stopped>running',
      'stopped>deleted',
      'stopped>error',
      'error>deleted',
    ],
  },
  {
    machine: allocationStateMachine,
    states: ALLOCATION_STATUSES,
    legal: [
      'pending>active',
      'pending>failed',
      'active>reclaiming',
      'reclaiming>reclaimed',
      'reclaiming>expired',
      'reclaiming>failed',
    ],
  },
  {
    machine: datasetMountStateMachine,
    states: DATASET_MOUNT_STATUSES,
    legal: [
      'pending>mounting',
      'pending>error',
      'mounting>mounted',
      'mounting>error',
      'mounted>unmounting',
      'mounted>error',
      'unmounting>unmounted',
      'unmounting>error',
      'error>unmounting',
    ],
  },
  {
    machine: taskStateMachine,
    states: TASK_STATUSES,
    legal: [
      'pending>running',
      'pending>failed',
      'pending>stopped',
      'running>stopping',
      'running>succeeded',
      'running>failed',
      'stopping>stopped',
      'stopping>succeeded',
      'stopping>failed',
    ],
  },
];

describe.each(cases)('$machine.name', ({ machine, states, legal }) => {
  const allPairs = states.flatMap((from) => states.map((to) => [from, to] as const));
  const legalPairs = allPairs.filter(([from, to]) => legal.includes(`${from}>${to}`));
  const illegalPairs = allPairs.filter(([from, to]) => !legal.includes(`${from}>${to}`));

  it('knows exactly the statuses of its column', () => {
    expect([...machine.states].sort()).toEqual([...states].sort());
  });

  it('allows exactly the listed transitions', () => {
    expect(
      legalTransitions(machine)
        .map(([f, t]) => `${f}>${t}`)
        .sort(),
    ).toEqual([...legal].sort());
    expect(legalPairs).toHaveLength(legal.length);
  });

  it.each(legalPairs)('allows %s → %s', (from, to) => {
    expect(canTransition(machine, from, to)).toBe(true);
    expect(() => assertTransition(machine, from, to)).not.toThrow();
  });

  it.each(illegalPairs)('rejects %s → %s', (from, to) => {
    expect(canTransition(machine, from, to)).toBe(false);
    expect(() => assertTransition(machine, from, to)).toThrow(IllegalTransitionError);
  });
});

describe('assertTransition', () => {
  it('throws a typed error naming the machine and both states', () => {
    let caught: unknown;
    try {
      assertTransition(machineAllocationStateMachine, 'allocated', 'idle');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IllegalTransitionError);
    expect(caught).toMatchObject({
      code: 'ILLEGAL_STATE_TRANSITION',
      machine: 'machine allocation status',
      from: 'allocated',
      to: 'idle',
    });
    expect((caught as Error).message).toBe("machine allocation status: cannot go from 'allocated' to 'idle'");
  });

  it('rejects a state the machine does not know', () => {
    expect(canTransition(machineOnlineStateMachine, 'rebooting' as never, 'online')).toBe(false);
    expect(() => assertTransition(machineOnlineStateMachine, 'rebooting' as never, 'online')).toThrow(
      IllegalTransitionError,
    );
  });
});
