export {
  loadProductionCalendar,
  mergeCalendarData,
  parseCalendarData,
  ProductionCalendar,
  type CalendarData,
  type CalendarDay,
  type DayKind,
  type ProductionCalendarOptions,
} from './production-calendar.ts';
