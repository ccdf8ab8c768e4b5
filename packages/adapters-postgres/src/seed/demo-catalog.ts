import { seedId } from './seed-ids';

/** The demo banca of the embedded default: names a Costa Rican operator would recognise. */
export const DEMO_BANCAS = [
  { key: 'banca:central', name: 'Banca Central San José' },
  { key: 'banca:pacifico', name: 'Banca del Pacífico' },
] as const;

export const DEMO_VENTANAS = [
  { key: 'ventana:avenida-central', banca: 'banca:central', name: 'Ventana Avenida Central' },
  { key: 'ventana:desamparados', banca: 'banca:central', name: 'Ventana Desamparados' },
  { key: 'ventana:puntarenas', banca: 'banca:pacifico', name: 'Ventana Puntarenas Centro' },
  { key: 'ventana:jaco', banca: 'banca:pacifico', name: 'Ventana Jacó' },
] as const;

const SELLERS: Record<(typeof DEMO_VENTANAS)[number]['key'], string[]> = {
  'ventana:avenida-central': ['Carlos Mora', 'Ana Jiménez', 'Luis Rojas'],
  'ventana:desamparados': ['María Vargas', 'Jorge Solís', 'Rosa Chaves'],
  'ventana:puntarenas': ['Pedro Quesada', 'Laura Araya', 'Diego Alfaro'],
  'ventana:jaco': ['Sofía Calderón', 'Andrés Brenes', 'Marta Ulate'],
};

export const DEMO_VENDEDORES = DEMO_VENTANAS.flatMap((ventana) =>
  SELLERS[ventana.key].map((name, i) => ({ key: `vendedor:${ventana.key}:${i + 1}`, ventana: ventana.key, banca: ventana.banca, name })),
);

export const DEMO_LOTERIAS = [
  { key: 'loteria:tiempos', name: 'Tiempos', rulesJson: { drawSchedule: { frequency: 'diario', times: ['12:55', '16:30', '19:30'] } } },
  { key: 'loteria:nacional', name: 'Lotería Nacional', rulesJson: { drawSchedule: { frequency: 'semanal', times: ['19:30'], daysOfWeek: [0] } } },
  { key: 'loteria:monazos', name: 'Monazos', rulesJson: { drawSchedule: { frequency: 'diario', times: ['13:00', '19:00'] } } },
] as const;

/** Guardians with funded accounts and their juniors, for the allowance feature. */
export const DEMO_FAMILIES = [
  { key: 'guardian:fernandez', name: 'María Fernández', balance: '50000.00', juniors: [{ key: 'junior:sofia', name: 'Sofía Fernández', balance: '2500.00' }, { key: 'junior:mateo', name: 'Mateo Fernández', balance: '0.00' }] },
  { key: 'guardian:vargas', name: 'José Vargas', balance: '125000.50', juniors: [{ key: 'junior:valentina', name: 'Valentina Vargas', balance: '1200.75' }] },
] as const;

/** The rows whose presence says the demo was seeded. */
export const DEMO_MARKER_BANCA_ID = demoId(DEMO_BANCAS[0].key);

export function demoId(key: string): string {
  return seedId(`banca-demo:${key}`);
}
