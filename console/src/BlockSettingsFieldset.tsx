import { blockSettings } from "./access";
import { PublicAccessBlock } from "./api";

// The four Block Public Access settings as labelled checkboxes (a bucket's, or the account's).
export function BlockSettingsFieldset({
  legend,
  block,
  onChange,
  disabled = false,
}: {
  legend: string;
  block: PublicAccessBlock;
  onChange: (block: PublicAccessBlock) => void;
  // True while the stored settings are still loading: nothing can be ticked that the load
  // would then overwrite.
  disabled?: boolean;
}) {
  return (
    <fieldset disabled={disabled}>
      <legend>{legend}</legend>
      {blockSettings.map((setting) => (
        <label className="compact" key={setting.name}>
          <input
            type="checkbox"
            checked={block[setting.name]}
            onChange={(event) => onChange({ ...block, [setting.name]: event.target.checked })}
          />
          <span>
            {setting.label} <span className="hint">— {setting.help}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
