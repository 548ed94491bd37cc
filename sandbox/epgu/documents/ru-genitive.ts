/**
 * Nominative → genitive for the sandbox's documents in running prose («в отношении должника
 * ИВАНОВОЙ АННЫ СЕРГЕЕВНЫ»). The sandbox's own small rule set for the names its world makes
 * (Russian ФИО with a patronymic); anything else is returned unchanged. Letter case is kept.
 */

function withCaseOf(model: string, word: string): string {
  if (model === model.toUpperCase()) return word.toUpperCase();
  return model[0] === model[0]!.toUpperCase() ? word[0]!.toUpperCase() + word.slice(1) : word;
}

const HARD = /[гкхжшчщ]$/;

function maleWord(w: string, role: 'surname' | 'first' | 'patronymic'): string {
  if (role === 'patronymic') return `${w}а`;
  if (role === 'surname' && /(ский|цкий)$/.test(w)) return w.replace(/ий$/, 'ого');
  if (role === 'surname' && /ой$/.test(w)) return w.replace(/ой$/, 'ого');
  if (role === 'surname' && /(ых|их|ко|ук|юк|о|е|и|у)$/.test(w) && !/(ук|юк)$/.test(w)) return w;
  if (role === 'first') {
    if (w === 'павел') return 'павла';
    if (w === 'лев') return 'льва';
    if (w === 'пётр' || w === 'петр') return 'петра';
  }
  if (/ий$/.test(w)) return w.replace(/ий$/, 'ия');
  if (/[ейа]й$/.test(w)) return w.replace(/й$/, 'я');
  if (/ь$/.test(w)) return w.replace(/ь$/, 'я');
  if (/а$/.test(w)) return w.replace(/а$/, HARD.test(w.slice(0, -1)) ? 'и' : 'ы');
  if (/я$/.test(w)) return w.replace(/я$/, 'и');
  return `${w}а`;
}

function femaleWord(w: string, role: 'surname' | 'first' | 'patronymic'): string {
  if (role === 'patronymic') return w.replace(/а$/, 'ы');
  if (role === 'surname') {
    if (/(ова|ева|ёва|ина|ына)$/.test(w)) return w.replace(/а$/, 'ой');
    if (/(ская|цкая|ая)$/.test(w)) return w.replace(/ая$/, 'ой');
    return w;
  }
  if (w === 'любовь') return 'любови';
  if (/ия$/.test(w)) return w.replace(/ия$/, 'ии');
  if (/ья$/.test(w)) return w.replace(/ья$/, 'ьи');
  if (/а$/.test(w)) return w.replace(/а$/, HARD.test(w.slice(0, -1)) ? 'и' : 'ы');
  if (/я$/.test(w)) return w.replace(/я$/, 'и');
  return w;
}

/**
 * «ИВАНОВА АННА СЕРГЕЕВНА» → «ИВАНОВОЙ АННЫ СЕРГЕЕВНЫ»; a name without a patronymic (a company)
 * unchanged.
 */
export function personToGenitive(name: string): string {
  const words = name.trim().split(/\s+/);
  if (words.length !== 3) return name;
  const p = words[2]!.toLowerCase();
  const gender = /(вич|ич)$/.test(p) ? 'm' : /(вна|чна)$/.test(p) ? 'f' : null;
  if (!gender) return name;
  const roles = ['surname', 'first', 'patronymic'] as const;
  return words.map((w, i) => {
    const low = w.toLowerCase();
    const g = w.includes('-') && roles[i] === 'surname'
      ? low.split('-').map((part) => (gender === 'm' ? maleWord(part, 'surname') : femaleWord(part, 'surname'))).join('-')
      : gender === 'm' ? maleWord(low, roles[i]!) : femaleWord(low, roles[i]!);
    return withCaseOf(w, g);
  }).join(' ');
}
