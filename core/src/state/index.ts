export * from './machines';
export * from './state-machine';
