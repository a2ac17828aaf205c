export { TIMER_NAMESPACE, timerId, type DueTimer, type ScheduleTimer, type SqlExecutor, type Timer, type TimerPayload, type TimerStatus } from './timer';
export * from './postgres-timer-store';
export * from './timer-poller';
export * from './service-timers';
