/** A labelled picker for one JSON file (settings or history backups). */
export interface JsonFileFieldProps {
  id: string;
  label: string;
  testId: string;
  disabled: boolean;
  onFile: (file: File) => void;
}

export function JsonFileField({ id, label, testId, disabled, onFile }: JsonFileFieldProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="file"
        accept=".json,application/json"
        data-testid={testId}
        disabled={disabled}
        onChange={(event) => {
          const input = event.currentTarget;
          const file = input.files?.[0];
          // Clearing lets the same file be picked again after fixing it.
          input.value = '';
          if (file) onFile(file);
        }}
      />
    </div>
  );
}
